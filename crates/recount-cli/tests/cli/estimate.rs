// Tests of `recount estimate` (owned by the estimate work).
