//! One table, written as CSV or Parquet, in row groups of bounded size.

use crate::{ExportError, ExportFormat, neutralise_formula};
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::sync::Arc;

/// Rows per Parquet row group: bounds memory however long the export.
const ROW_GROUP: usize = 64 * 1024;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Text,
    Int,
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    name: &'static str,
    kind: Kind,
    required: bool,
}

impl Column {
    pub(crate) fn text(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Text,
            required: true,
        }
    }
    pub(crate) fn optional_text(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Text,
            required: false,
        }
    }
    pub(crate) fn int(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Int,
            required: true,
        }
    }
}

pub(crate) enum Cell<'a> {
    Text(&'a str),
    Int(i64),
    Null,
}

pub(crate) enum Buffer {
    Text(Vec<ByteArray>, Vec<i16>),
    Int(Vec<i64>, Vec<i16>),
}

pub(crate) enum Table<W: Write + Send> {
    Csv(csv::Writer<W>),
    Parquet {
        writer: SerializedFileWriter<W>,
        columns: Vec<Column>,
        buffers: Vec<Buffer>,
        rows: usize,
    },
}

impl<W: Write + Send> Table<W> {
    pub(crate) fn new(
        out: W,
        format: ExportFormat,
        name: &str,
        version: u32,
        columns: Vec<Column>,
    ) -> Result<Table<W>, ExportError> {
        match format {
            ExportFormat::Csv => {
                let mut w = csv::WriterBuilder::new().from_writer(out);
                w.write_record(columns.iter().map(|c| c.name))?;
                Ok(Table::Csv(w))
            }
            ExportFormat::Parquet => {
                use parquet::basic::{LogicalType, Repetition, Type as Physical};
                let fields = columns
                    .iter()
                    .map(|c| {
                        let rep = if c.required {
                            Repetition::REQUIRED
                        } else {
                            Repetition::OPTIONAL
                        };
                        let b = match c.kind {
                            Kind::Text => {
                                Type::primitive_type_builder(c.name, Physical::BYTE_ARRAY)
                                    .with_logical_type(Some(LogicalType::String))
                            }
                            Kind::Int => Type::primitive_type_builder(c.name, Physical::INT64),
                        };
                        b.with_repetition(rep).build().map(Arc::new)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let schema = Type::group_type_builder(name).with_fields(fields).build()?;
                let props = WriterProperties::builder()
                    .set_created_by(format!("recount {}", env!("CARGO_PKG_VERSION")))
                    .set_key_value_metadata(Some(vec![
                        KeyValue::new("recount.format".into(), name.to_owned()),
                        KeyValue::new("recount.format_version".into(), version.to_string()),
                    ]))
                    .build();
                let writer = SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props))?;
                let buffers = columns
                    .iter()
                    .map(|c| match c.kind {
                        Kind::Text => Buffer::Text(Vec::new(), Vec::new()),
                        Kind::Int => Buffer::Int(Vec::new(), Vec::new()),
                    })
                    .collect();
                Ok(Table::Parquet {
                    writer,
                    columns,
                    buffers,
                    rows: 0,
                })
            }
        }
    }

    pub(crate) fn write(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        match self {
            Table::Csv(w) => {
                for cell in cells {
                    match cell {
                        Cell::Text(s) => w.write_field(neutralise_formula(s).as_bytes())?,
                        Cell::Int(i) => w.write_field(i.to_string())?,
                        Cell::Null => w.write_field("")?,
                    }
                }
                w.write_record(None::<&[u8]>)?;
                Ok(())
            }
            Table::Parquet { buffers, rows, .. } => {
                for (buf, cell) in buffers.iter_mut().zip(cells) {
                    match (buf, cell) {
                        (Buffer::Text(v, d), Cell::Text(s)) => {
                            v.push(ByteArray::from(s.as_bytes().to_vec()));
                            d.push(1);
                        }
                        (Buffer::Int(v, d), Cell::Int(i)) => {
                            v.push(*i);
                            d.push(1);
                        }
                        (Buffer::Text(_, d) | Buffer::Int(_, d), _) => d.push(0),
                    }
                }
                *rows += 1;
                if *rows >= ROW_GROUP {
                    self.flush()?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> Result<(), ExportError> {
        let Table::Parquet {
            writer,
            columns,
            buffers,
            rows,
        } = self
        else {
            return Ok(());
        };
        if *rows == 0 {
            return Ok(());
        }
        let mut group = writer.next_row_group()?;
        for (column, buf) in columns.iter().zip(buffers.iter_mut()) {
            let Some(mut col) = group.next_column()? else {
                break;
            };
            let defs = |d: &[i16]| {
                if column.required {
                    None
                } else {
                    Some(d.to_vec())
                }
            };
            match buf {
                Buffer::Text(v, d) => {
                    let defs = defs(d);
                    col.typed::<ByteArrayType>()
                        .write_batch(v, defs.as_deref(), None)?;
                    v.clear();
                    d.clear();
                }
                Buffer::Int(v, d) => {
                    let defs = defs(d);
                    col.typed::<Int64Type>()
                        .write_batch(v, defs.as_deref(), None)?;
                    v.clear();
                    d.clear();
                }
            }
            col.close()?;
        }
        group.close()?;
        *rows = 0;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<W, ExportError> {
        self.flush()?;
        match self {
            Table::Csv(w) => w.into_inner().map_err(|e| ExportError::Io(e.into_error())),
            Table::Parquet { writer, .. } => Ok(writer.into_inner()?),
        }
    }
}
