// Tests of `recount import` (owned by the import work).
