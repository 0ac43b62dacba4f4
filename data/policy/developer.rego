# leakscope policy pack `developer`: for CI, where the app's own team reads
# the result. `baseline` plus:
#   - `developer.undeclared_collection` (block): a category is transmitted
#     and the declarations (`--declared`, privacy manifest) say it is not
#     collected.
#   - `developer.unnecessary_collection` (block): a category is transmitted
#     and the app's kind does not need it (`necessary == false`).
#   - `developer.unnecessary_access` (warn): a category is read but not
#     transmitted, and the app's kind does not need it.
#   - `developer.declarations_missing` (warn): categories are transmitted but
#     no declarations were given, so they could not be compared.
#   - `developer.unused_permission` (warn): permissions are requested that no
#     code uses.
#
# Loaded together with baseline.rego (same package).
#
# Our own work, Apache-2.0. See README.md and docs/policy.md.
package leakscope

import rego.v1

# The app's kind, for messages.
app_kind := k if {
	k := input.assessment.app_kind.kind
	is_string(k)
} else := "unknown"

block contains m if {
	some c, v in category_view
	v.transmitted == true
	v.declared == false
	m := {
		"rule": "developer.undeclared_collection",
		"category": c,
		"message": sprintf("%s data is transmitted but not declared: declare it, or stop sending it", [c]),
	}
}

block contains m if {
	some c, v in category_view
	v.transmitted == true
	v.necessary == false
	m := {
		"rule": "developer.unnecessary_collection",
		"category": c,
		"message": sprintf("%s data is transmitted but an app of kind %v does not need it", [c, app_kind]),
	}
}

warn contains m if {
	some c, v in category_view
	v.accessed == true
	not v.transmitted == true
	v.necessary == false
	m := {
		"rule": "developer.unnecessary_access",
		"category": c,
		"message": sprintf("%s data is read but an app of kind %v does not need it", [c, app_kind]),
	}
}

warn contains m if {
	assessed
	missing := sort([c | some c, v in category_view; v.transmitted == true; v.declared == null])
	count(missing) > 0
	m := {
		"rule": "developer.declarations_missing",
		"message": sprintf("no declarations to compare with for transmitted data: %s (pass --declared)", [concat(", ", missing)]),
	}
}

warn contains m if {
	some c, v in field_object(input, "categories")
	unused := [p | some p in field_array(v, "unused_permissions"); is_string(p)]
	count(unused) > 0
	m := {
		"rule": "developer.unused_permission",
		"category": c,
		"message": sprintf("requested but unused: %s", [concat(", ", unused)]),
	}
}
