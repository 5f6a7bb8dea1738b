//! Applying a function to rows a chunk at a time on the threads the caller gives, handing the
//! results on in order.

use std::collections::BTreeMap;

use crate::error::Result;

/// Rows costed at a time by one thread.
pub(crate) const CHUNK: usize = 512;

/// Applies `f` to the rows a chunk (`size` rows) at a time, and hands each chunk's result to
/// `sink` in order. `f` is told where its chunk starts. With `threads` above 0 (never in the
/// browser, which has none), that many other threads apply `f` and this one only hands the
/// results on as they come in; with 0, this thread does both.
pub(crate) fn in_chunks<T: Sync, R: Send>(
    rows: &[T],
    size: usize,
    f: &(dyn Fn(usize, &[T]) -> R + Sync),
    threads: usize,
    sink: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()> {
    let chunk = |c: usize| -> R {
        let start = c * size;
        f(start, &rows[start..(start + size).min(rows.len())])
    };
    let chunks = rows.len().div_ceil(size);
    let threads = if cfg!(target_arch = "wasm32") { 0 } else { threads.min(chunks) };
    if threads == 0 {
        for c in 0..chunks {
            sink(chunk(c))?;
        }
        return Ok(());
    }
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, chunk) = (&next, &stop, &chunk);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks || tx.send((c, chunk(c))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // Chunks finish out of order; each waits here until those before it are handed on.
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
            let double = |start: usize, chunk: &[usize]| -> Vec<(usize, usize)> {
                chunk.iter().enumerate().map(|(k, r)| (start + k, r * 2)).collect()
            };
            in_chunks(&rows, 7, &double, threads, &mut |chunk| {
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
        let e = in_chunks(&rows, 10, &|start, _: &[usize]| start, 2, &mut |_| {
            handed += 1;
            if handed == 3 { Err(Error::invalid("sink", "full", "room")) } else { Ok(()) }
        })
        .expect_err("the sink's error");
        assert!(e.to_string().contains("full"), "{e}");
        assert_eq!(handed, 3);
    }
}
