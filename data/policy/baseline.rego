# leakscope policy pack `baseline`: what every organization blocks.
#
# Blocks an app when
#   - it transmits contacts, messages or audio
#     (`baseline.<category>_transmitted`; the categories are
#     `data.config.baseline_blocked_categories`);
#   - a tracker SDK reads or receives device identifiers
#     (`baseline.tracker_<category>`; the categories are
#     `data.config.baseline_tracker_categories`);
#   - its signer differs from the one known for its package
#     (`baseline.counterfeit`, from `input.counterfeit`).
# Warns when leakscope's own assessment is `leakware`
# (`baseline.leakware_verdict`).
#
# The packs `strict` and `developer` load this file too and add their own
# rules; the helpers below (`category_view`, `category_trackers`, ...) are
# shared with them.
#
# Our own work, Apache-2.0. See README.md and docs/policy.md.
package leakscope

import rego.v1

# The assessment was computed (`input.assessment` is not null).
assessed if is_object(input.assessment.categories)

# Per category id, what the app does with it: the assessment when present,
# else the raw findings (which lack `trackers`, `destinations`, `declared`
# and `necessary`).
category_view := input.assessment.categories if {
	assessed
} else := field_object(input, "categories")

# `o[k]` when `o` is an object and `o[k]` an array, else []. Reports are
# untrusted: iterating over a non-collection is an error in regorus.
field_array(o, k) := v if {
	is_object(o)
	v := o[k]
	is_array(v)
} else := []

# `o[k]` when `o` is an object and `o[k]` an object, else {}.
field_object(o, k) := v if {
	is_object(o)
	v := o[k]
	is_object(v)
} else := {}

# [category, tracker id] for each tracker that reads or receives a category.
category_trackers contains [c, t] if {
	some c, v in category_view
	some t in field_array(v, "trackers")
	is_string(t)
}

category_trackers contains [c, d.tracker] if {
	some c, v in category_view
	v.transmitted == true
	some d in field_array(v, "destinations")
	is_string(d.tracker)
}

# Without an assessment: the SDKs reading a category that are trackers.
category_trackers contains [c, t] if {
	not assessed
	some c, v in category_view
	some t in field_array(v, "sdks")
	is_string(t)
	some tr in field_array(input, "trackers")
	tr.id == t
}

# "Name (id)" of a tracker, or its id when the report does not list it.
tracker_label(id) := sprintf("%s (%s)", [names[0], id]) if {
	names := [tr.name | some tr in field_array(input, "trackers"); tr.id == id; is_string(tr.name)]
	count(names) > 0
} else := id

# The sink kinds of a category, for messages.
sinks_text(v) := concat(", ", [s | some s in field_array(v, "sinks"); is_string(s)])

block contains m if {
	some c in field_array(data.config, "baseline_blocked_categories")
	v := category_view[c]
	v.transmitted == true
	m := {
		"rule": sprintf("baseline.%s_transmitted", [c]),
		"category": c,
		"message": sprintf("the app transmits %s data (sinks: %s)", [c, sinks_text(v)]),
	}
}

block contains m if {
	some c in field_array(data.config, "baseline_tracker_categories")
	some pair in category_trackers
	pair[0] == c
	t := pair[1]
	m := {
		"rule": sprintf("baseline.tracker_%s", [c]),
		"category": c,
		"sdk": t,
		"message": sprintf("tracker %s reads or receives %s", [tracker_label(t), c]),
	}
}

block contains m if {
	input.counterfeit.suspected == true
	m := {
		"rule": "baseline.counterfeit",
		"message": sprintf("suspected counterfeit: %v", [object.get(input.counterfeit, "reason", "its signer differs from the one known for its package")]),
	}
}

warn contains m if {
	input.assessment.verdict == "leakware"
	m := {
		"rule": "baseline.leakware_verdict",
		"message": sprintf("leakscope's assessment is leakware (score %v)", [input.assessment.score]),
	}
}
