// Tests of `recount names` (owned by the names work).
