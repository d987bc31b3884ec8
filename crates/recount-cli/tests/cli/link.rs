// Tests of `recount link` (owned by the link work).
