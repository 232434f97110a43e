//! The process's memory as the kernel counts it, for benchmarks and the
//! soak test: resident set (RSS) and proportional set (PSS, shared pages
//! such as a memory-mapped font divided among the processes using them).

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

    #[test]
    fn this_process_has_resident_memory() {
        let usage = MemoryUsage::current().expect("Linux has smaps_rollup");
        assert!(usage.rss_kib > 0 && usage.pss_kib > 0 && usage.pss_kib <= usage.rss_kib);
    }
}
