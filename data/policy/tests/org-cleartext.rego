# An organization's own policy, for the fixture that loads a .rego file:
# warns about cleartext endpoints.
package leakscope

import rego.v1

warn contains m if {
	some e in input.endpoints
	e.cleartext == true
	m := {"rule": "org.cleartext_endpoint", "message": sprintf("cleartext endpoint %s", [e.host])}
}
