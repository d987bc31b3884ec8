//! Text encodings: UTF-8 (with or without a BOM), windows-1251, and detection between them.

use crate::Progress;
use encoding_rs::Encoding;
use std::io::{self, Read};

/// A text encoding the importer can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding(&'static Encoding);

impl TextEncoding {
    pub const UTF_8: TextEncoding = TextEncoding(encoding_rs::UTF_8);
    pub const WINDOWS_1251: TextEncoding = TextEncoding(encoding_rs::WINDOWS_1251);

    /// An encoding by its WHATWG label (`utf-8`, `windows-1251`, `cp1251`, `koi8-r`, ...).
    /// UTF-16 is refused: its files are best re-saved as UTF-8.
    pub fn from_label(label: &str) -> Option<TextEncoding> {
        let e = Encoding::for_label(label.trim().as_bytes())?;
        (e != encoding_rs::UTF_16LE && e != encoding_rs::UTF_16BE && e != encoding_rs::REPLACEMENT)
            .then_some(TextEncoding(e))
    }

    /// The encoding's canonical name (`UTF-8`, `windows-1251`).
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

/// How many bytes are looked at to detect the encoding and delimiter.
pub(crate) const SAMPLE: usize = 64 * 1024;

/// Counts the bytes read from the file, for progress.
pub(crate) struct Counting<R> {
    inner: R,
    progress: Progress,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.add(n as u64);
        Ok(n)
    }
}

/// The file's first bytes and what they say.
pub(crate) struct Opened {
    /// The text as UTF-8 bytes (possibly invalid where the file is), BOM removed.
    pub reader: Box<dyn Read>,
    /// The decoded sample (lossy), for sniffing the delimiter.
    pub sample: Vec<u8>,
    pub encoding: TextEncoding,
}

/// Why the file cannot be read as text at all.
pub(crate) enum TextProblem {
    Io(io::Error),
    Utf16,
}

pub(crate) fn open_text<R: Read + 'static>(
    file: R,
    chosen: Option<TextEncoding>,
    progress: Progress,
) -> Result<Opened, TextProblem> {
    let mut counting = Counting {
        inner: file,
        progress,
    };
    let mut sample = Vec::with_capacity(SAMPLE);
    (&mut counting)
        .take(SAMPLE as u64)
        .read_to_end(&mut sample)
        .map_err(TextProblem::Io)?;
    if sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]) {
        return Err(TextProblem::Utf16);
    }
    let bom = sample.starts_with(&[0xEF, 0xBB, 0xBF]);
    let encoding = match chosen {
        Some(e) => e,
        None if bom => TextEncoding::UTF_8,
        None => detect(&sample),
    };
    let rest = io::Cursor::new(sample.clone()).chain(counting);
    if encoding == TextEncoding::UTF_8 {
        let mut reader: Box<dyn Read> = Box::new(rest);
        if bom {
            let mut skip = [0u8; 3];
            reader.read_exact(&mut skip).map_err(TextProblem::Io)?;
        }
        let sample = sample[if bom { 3 } else { 0 }..].to_vec();
        return Ok(Opened {
            reader,
            sample,
            encoding,
        });
    }
    let (decoded, _, _) = encoding.0.decode(&sample);
    let reader = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding.0))
        .build(rest);
    Ok(Opened {
        reader: Box::new(reader),
        sample: decoded.into_owned().into_bytes(),
        encoding,
    })
}

/// UTF-8 when the sample is valid UTF-8 (a character cut at its end allowed); windows-1251
/// when it is not and decodes, as windows-1251, to mostly Cyrillic letters; UTF-8 otherwise
/// (the reader then reports every invalid cell).
pub(crate) fn detect(sample: &[u8]) -> TextEncoding {
    match std::str::from_utf8(sample) {
        Ok(_) => return TextEncoding::UTF_8,
        Err(e) if e.error_len().is_none() => return TextEncoding::UTF_8,
        Err(_) => {}
    }
    let (text, _, _) = encoding_rs::WINDOWS_1251.decode(sample);
    let (mut cyrillic, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyrillic += 1;
        } else if !matches!(c, '«' | '»' | '№' | '–' | '—' | '„' | '“' | '”' | '\u{a0}')
        {
            other += 1;
        }
    }
    if cyrillic > 0 && cyrillic >= 9 * other {
        TextEncoding::WINDOWS_1251
    } else {
        TextEncoding::UTF_8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_is_conservative() {
        let utf8 = "Фамилия,Имя\nАсанов,Бекболат\n";
        assert_eq!(detect(utf8.as_bytes()), TextEncoding::UTF_8);
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode(utf8);
        assert_eq!(detect(&cp), TextEncoding::WINDOWS_1251);
        // A character cut by the end of the sample is still UTF-8.
        assert_eq!(
            detect(&utf8.as_bytes()[..utf8.len() - 2]),
            TextEncoding::UTF_8
        );
        // Bytes that decode to symbols, not letters, are neither: left as UTF-8 so that each
        // bad cell is reported.
        assert_eq!(detect(b"\x99 \x85 \x95 \xa9 text"), TextEncoding::UTF_8);
        assert_eq!(
            TextEncoding::from_label("cp1251"),
            Some(TextEncoding::WINDOWS_1251)
        );
        assert_eq!(TextEncoding::from_label("utf-16"), None);
    }
}
