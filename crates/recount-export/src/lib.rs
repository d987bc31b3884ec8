//! Writing records, persons and capture histories as CSV and Parquet.
