//! The process's memory as the kernel counts it, for benchmarks and the
//! soak test: resident set (RSS), proportional set (PSS, shared pages such
//! as a memory-mapped font divided among the processes using them) and
//! anonymous memory (heap and stacks: where a leak shows).

/// Memory use of this process, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryUsage {
    /// Resident set size.
    pub rss_kib: u64,
    /// Proportional set size.
    pub pss_kib: u64,
    /// Anonymous (heap, stacks): private memory no file backs.
    pub anon_kib: u64,
}

impl MemoryUsage {
    /// This process's memory now, from `/proc/self/smaps_rollup` (Linux
    /// only; `None` elsewhere or when the file cannot be read).
    pub fn current() -> Option<MemoryUsage> {
        let text = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
        MemoryUsage::parse(&text)
    }

    /// Reads the `Rss:`, `Pss:` and `Anonymous:` lines of an smaps_rollup text.
    fn parse(text: &str) -> Option<MemoryUsage> {
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        };
        Some(MemoryUsage {
            rss_kib: field("Rss:")?,
            pss_kib: field("Pss:")?,
            anon_kib: field("Anonymous:")?,
        })
    }

    /// PSS in MiB.
    pub fn pss_mib(&self) -> f64 {
        self.pss_kib as f64 / 1024.0
    }

    /// Anonymous memory in MiB.
    pub fn anon_mib(&self) -> f64 {
        self.anon_kib as f64 / 1024.0
    }

    /// The leak check of long runs: an error in words when anonymous memory
    /// grew more than `tolerance` (0.05 = 5 %) since `earlier`.
    ///
    /// Anonymous memory, not PSS: PSS moves when another process maps or
    /// unmaps the same font file and when new glyph pages are touched,
    /// without a byte leaked; a leak is heap, and heap is anonymous.
    pub fn leaked_since(&self, earlier: &MemoryUsage, tolerance: f64) -> Result<(), String> {
        let growth = self.anon_kib as f64 / earlier.anon_kib.max(1) as f64 - 1.0;
        if growth > tolerance {
            return Err(format!(
                "anonymous memory grew {:.1} % ({:.1} → {:.1} MiB; PSS {:.1} → {:.1} MiB), over the {:.0} % allowed",
                growth * 100.0,
                earlier.anon_mib(),
                self.anon_mib(),
                earlier.pss_mib(),
                self.pss_mib(),
                tolerance * 100.0
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rss_pss_and_anonymous_from_smaps_rollup() {
        let text = "55d0-7ffd ---p 00000000 00:00 0  [rollup]\nRss:               30720 kB\nPss:               20480 kB\nPss_Anon:           8000 kB\nAnonymous:          9000 kB\n";
        assert_eq!(
            MemoryUsage::parse(text),
            Some(MemoryUsage {
                rss_kib: 30720,
                pss_kib: 20480,
                anon_kib: 9000
            })
        );
        assert_eq!(MemoryUsage::parse("Rss: 1 kB\n"), None);
    }

    fn usage(pss_mib: f64, anon_mib: f64) -> MemoryUsage {
        MemoryUsage {
            rss_kib: (pss_mib * 2048.0) as u64,
            pss_kib: (pss_mib * 1024.0) as u64,
            anon_kib: (anon_mib * 1024.0) as u64,
        }
    }

    #[test]
    fn pss_moving_with_shared_pages_is_no_leak_and_anonymous_growth_is() {
        // The busy machine of issue 15: PSS +7.1 %, nothing leaked.
        let warm = usage(45.4, 30.0);
        assert_eq!(usage(48.7, 30.2).leaked_since(&warm, 0.05), Ok(()));
        let error = usage(46.0, 33.0).leaked_since(&warm, 0.05).unwrap_err();
        assert!(
            error
                .starts_with("anonymous memory grew 10.0 % (30.0 → 33.0 MiB; PSS 45.4 → 46.0 MiB)"),
            "{error}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mapping_a_font_moves_pss_and_rss_but_not_anonymous_memory() {
        use std::os::fd::AsRawFd;
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/NotoSansSC_400Regular.ttf"
        );
        let file = std::fs::File::open(path).unwrap();
        let length = file.metadata().unwrap().len() as usize;
        let before = MemoryUsage::current().unwrap();
        // SAFETY: a private read-only mapping of a file we keep open, read
        // inside its length, then unmapped.
        unsafe {
            let map = libc::mmap(
                std::ptr::null_mut(),
                length,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            );
            assert_ne!(map, libc::MAP_FAILED);
            let bytes = std::slice::from_raw_parts(map as *const u8, length);
            let touched: u64 = bytes.iter().step_by(4096).map(|b| u64::from(*b)).sum();
            std::hint::black_box(touched);
            let mapped = MemoryUsage::current().unwrap();
            libc::munmap(map, length);
            assert!(
                mapped.rss_kib > before.rss_kib + (length as u64 / 1024) / 2,
                "{before:?} → {mapped:?}"
            );
            assert_eq!(
                mapped.leaked_since(&before, 0.05),
                Ok(()),
                "{before:?} → {mapped:?}"
            );
        }
    }

    #[test]
    fn this_process_has_resident_memory() {
        let usage = MemoryUsage::current().expect("Linux has smaps_rollup");
        assert!(usage.rss_kib > 0 && usage.pss_kib > 0 && usage.pss_kib <= usage.rss_kib);
    }
}
