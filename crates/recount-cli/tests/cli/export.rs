// Tests of `recount export` (owned by the export work).
