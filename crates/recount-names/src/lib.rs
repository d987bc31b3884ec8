//! Cross-script person names (Cyrillic and Latin): parse, normalise, key and compare.
