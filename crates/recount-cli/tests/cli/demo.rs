// Tests of `recount demo` (owned by the demo work).
