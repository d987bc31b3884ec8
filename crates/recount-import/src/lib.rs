//! Reading records from files, validated, with every problem located by file, row and column.
