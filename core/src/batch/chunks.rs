//! Applying a function to rows a chunk at a time on the threads the caller gives, handing the
//! results on in order.

use std::collections::BTreeMap;

use super::{ChildRow, UncostedRow};
use crate::error::Result;

/// Rows costed at a time by one thread.
pub const CHUNK: usize = 512;

/// A child row in sheet order: read, or not readable (its errors listed already).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // nearly every row is read: a box would only add an allocation
pub enum Entry {
    /// Read, to be costed.
    Read(ChildRow),
    /// Not readable.
    Unread(UncostedRow),
}

/// A run of child rows in sheet order, as they are handed to the threads that cost them.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Rows read before it.
    pub(crate) read_before: usize,
    /// Rows before it, read or not.
    pub(crate) rows_before: usize,
    /// Its rows.
    pub(crate) rows: Vec<Entry>,
}

/// Cuts child rows, as they are read, into chunks of [`CHUNK`] read rows; the first chunk
/// holds at least the rows that keep their figures, so the thread that costs it can hand them
/// on together.
#[derive(Debug)]
pub struct Chunker {
    /// Read rows the current chunk takes.
    size: usize,
    /// Rows handed on in chunks so far: read, and in all.
    read: usize,
    rows: usize,
    /// Read rows in the current chunk.
    in_chunk: usize,
    chunk: Chunk,
}

impl Chunker {
    /// Chunks whose first keeps the figures of the first `keep` read rows.
    pub fn new(keep: usize) -> Chunker {
        Chunker { size: CHUNK.max(keep), read: 0, rows: 0, in_chunk: 0, chunk: Chunk::default() }
    }

    /// Adds the next row; a chunk, where this row fills it.
    pub fn push(&mut self, row: Entry) -> Option<Chunk> {
        let read = matches!(row, Entry::Read(_));
        self.chunk.rows.push(row);
        self.in_chunk += usize::from(read);
        (read && self.in_chunk >= self.size).then(|| self.cut())
    }

    /// The last chunk, where rows are left.
    pub fn finish(mut self) -> Option<Chunk> {
        (!self.chunk.rows.is_empty()).then(|| self.cut())
    }

    fn cut(&mut self) -> Chunk {
        let next = Chunk { read_before: 0, rows_before: 0, rows: Vec::with_capacity(CHUNK) };
        let chunk = std::mem::replace(&mut self.chunk, next);
        self.read += self.in_chunk;
        self.rows += chunk.rows.len();
        self.in_chunk = 0;
        (self.chunk.read_before, self.chunk.rows_before) = (self.read, self.rows);
        self.size = CHUNK;
        chunk
    }
}

/// Applies `f` to each item of `source` and hands the results to `sink` in the source's order.
/// With `threads` above 0 (never in the browser, which has none), that many other threads take
/// items and apply `f`, and this one only hands the results on as they come in; with 0, this
/// thread does both.
pub(crate) fn in_order<C: Send, R: Send>(
    source: impl Iterator<Item = C> + Send,
    f: &(dyn Fn(C) -> R + Sync),
    threads: usize,
    sink: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()> {
    let threads = if cfg!(target_arch = "wasm32") { 0 } else { threads };
    if threads == 0 {
        for c in source {
            sink(f(c))?;
        }
        return Ok(());
    }
    use std::sync::atomic::{AtomicBool, Ordering};
    let source = std::sync::Mutex::new(source.enumerate());
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (source, stop) = (&source, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    // Taken under the lock, applied outside it.
                    let next = source.lock().map(|mut s| s.next());
                    let Ok(Some((c, item))) = next else { return };
                    if tx.send((c, f(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // Items finish out of order; each waits here until those before it are handed on.
        let mut waiting = BTreeMap::new();
        let mut want = 0;
        for (c, results) in rx {
            waiting.insert(c, results);
            while let Some(results) = waiting.remove(&want) {
                if let Err(e) = sink(results) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                want += 1;
            }
        }
        // A helper that panicked (a bug) stops sending; the scope carries its panic on, to the
        // front door, which reports it as an internal error.
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn chunks_costed_on_several_threads_reach_the_sink_in_order() {
        let rows: Vec<usize> = (0..1000).collect();
        for threads in [0, 1, 3] {
            let mut seen = Vec::new();
            let double =
                |chunk: &[usize]| -> Vec<(usize, usize)> { chunk.iter().map(|r| (*r, r * 2)).collect() };
            in_order(rows.chunks(7), &double, threads, &mut |chunk| {
                assert!(chunk.len() <= 7);
                seen.extend(chunk);
                Ok(())
            })
            .expect("no sink error");
            assert_eq!(seen, rows.iter().map(|&r| (r, r * 2)).collect::<Vec<_>>());
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_sink_error_stops_the_chunks_and_is_returned() {
        let rows: Vec<usize> = (0..1000).collect();
        let mut handed = 0;
        let e = in_order(rows.chunks(10), &|c: &[usize]| c[0], 2, &mut |_| {
            handed += 1;
            if handed == 3 { Err(Error::invalid("sink", "full", "room")) } else { Ok(()) }
        })
        .expect_err("the sink's error");
        assert!(e.to_string().contains("full"), "{e}");
        assert_eq!(handed, 3);
    }
}
