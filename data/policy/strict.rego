# leakscope policy pack `strict`: `baseline` plus limits on where data goes.
#
# Loaded together with baseline.rego (same package). Adds:
#   - `strict.country_not_allowed` (block): a category is transmitted to a
#     destination whose owner country or IP country is known and is not in
#     `data.config.allowed_owner_countries`, and whose owner is not in
#     `data.config.allowed_owners`. Off when `allowed_owner_countries` is null.
#   - `strict.owner_not_allowed` (block): only when `allowed_owner_countries`
#     is null and `allowed_owners` is a list: a category is transmitted to a
#     destination whose known owner is not in `allowed_owners`.
#   - `strict.destination_unknown` (warn): a category is transmitted to a
#     destination of unknown owner and country, so the lists cannot be
#     checked.
#   - `strict.denied_tracker_owner` (block): the app carries a tracker whose
#     owner is in `data.config.denied_tracker_owners` (case-insensitive).
#   - `strict.undeclared_collection` (block): a category is transmitted
#     (collected, in Google Play's sense) and the publisher's declarations
#     say it is not collected (`declared == false`).
#
# Destinations come from the assessment; without one, the trackers that read
# a transmitted category stand in for them.
#
# Our own work, Apache-2.0. See README.md and docs/policy.md.
package leakscope

import rego.v1

# [category, destination] for each place a transmitted category may go.
transmission contains [c, d] if {
	some c, v in category_view
	v.transmitted == true
	some d in field_array(v, "destinations")
	is_object(d)
}

transmission contains [c, d] if {
	not assessed
	some c, v in category_view
	v.transmitted == true
	some t in field_array(v, "sdks")
	is_string(t)
	some tr in field_array(input, "trackers")
	tr.id == t
	d := {
		"host": null,
		"owner": object.get(tr, "owner", null),
		"owner_country": object.get(tr, "owner_country", null),
		"ip_country": null,
		"tracker": t,
	}
}

# The allow-lists, normalized once.
allowed_owners := {lower(o) | some o in field_array(data.config, "allowed_owners"); is_string(o)}

allowed_countries := {upper(a) | some a in field_array(data.config, "allowed_owner_countries"); is_string(a)}

owner_allowed(d) if {
	is_string(d.owner)
	lower(d.owner) in allowed_owners
}

country_allowed(country) if upper(country) in allowed_countries

# "host (owner)" or whatever is known of a destination.
destination_label(d) := sprintf("%s (%s)", [d.host, d.owner]) if {
	is_string(d.host)
	is_string(d.owner)
} else := d.host if {
	is_string(d.host)
} else := d.owner if {
	is_string(d.owner)
} else := "an unknown destination"

# A match object, with `sdk` when the destination is a tracker's.
with_tracker(m, d) := object.union(m, {"sdk": d.tracker}) if {
	is_string(d.tracker)
} else := m

block contains m if {
	is_array(data.config.allowed_owner_countries)
	some pair in transmission
	c := pair[0]
	d := pair[1]
	not owner_allowed(d)
	some field in ["owner_country", "ip_country"]
	country := d[field]
	is_string(country)
	not country_allowed(country)
	m := with_tracker(
		{
			"rule": "strict.country_not_allowed",
			"category": c,
			"message": sprintf("%s data goes to %s, %s %s, outside the allowed countries", [c, destination_label(d), replace(field, "_", " "), country]),
		},
		d,
	)
}

block contains m if {
	not is_array(data.config.allowed_owner_countries)
	is_array(data.config.allowed_owners)
	some pair in transmission
	c := pair[0]
	d := pair[1]
	is_string(d.owner)
	not owner_allowed(d)
	m := with_tracker(
		{
			"rule": "strict.owner_not_allowed",
			"category": c,
			"message": sprintf("%s data goes to %s, whose owner %s is not on the allowed list", [c, destination_label(d), d.owner]),
		},
		d,
	)
}

warn contains m if {
	some pair in transmission
	c := pair[0]
	d := pair[1]
	not is_string(d.owner)
	not is_string(d.owner_country)
	not is_string(d.ip_country)
	m := with_tracker(
		{
			"rule": "strict.destination_unknown",
			"category": c,
			"message": sprintf("%s data goes to %s, whose owner and country are unknown", [c, destination_label(d)]),
		},
		d,
	)
}

block contains m if {
	some tr in field_array(input, "trackers")
	is_string(tr.owner)
	some denied in field_array(data.config, "denied_tracker_owners")
	is_string(denied)
	lower(tr.owner) == lower(denied)
	m := {
		"rule": "strict.denied_tracker_owner",
		"sdk": tr.id,
		"message": sprintf("tracker %s is owned by %s, which is on the deny-list", [tracker_label(tr.id), tr.owner]),
	}
}

block contains m if {
	some c, v in category_view
	v.transmitted == true
	v.declared == false
	m := {
		"rule": "strict.undeclared_collection",
		"category": c,
		"message": sprintf("the app collects %s data but its declarations say it does not", [c]),
	}
}
