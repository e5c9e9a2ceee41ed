"""Demo data on top of every app: the accounts of SPEC §9 and the programme's own figures."""
