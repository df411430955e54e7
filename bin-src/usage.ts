// strata's help texts: the overview and one usage block per command (strata CMD --help).

export const OVERVIEW = `strata: inspect and use a stratadb database from the command line

usage: strata COMMAND [ARGS] [--help]

  get DIR KEY                 print KEY's value (exit status 1 when absent)
  put DIR KEY VALUE           store KEY -> VALUE (durable when strata returns)
  del DIR KEY                 delete KEY (durable when strata returns)
  scan DIR [range flags]      print a range of entries in key order
  stats DIR                   levels, files, bytes, amplification, caches
  compact DIR                 compact the whole database down to its deepest level
  verify DIR                  read and checksum every block of every live file
  dump sst FILE               a table's properties and entries
  dump wal FILE               a write-ahead log's records (damage shown in place)
  dump manifest DIR|FILE      the MANIFEST's version edits and the version they make
  bench [flags]               the side-by-side benchmark against LevelDB

Keys and values print as UTF-8 where printable, else as 0x-hex; --hex forces hex and --json
prints JSON (one object per line for lists). KEY and VALUE arguments are UTF-8 text, or bytes
when written 0x... Errors print one line with the StrataError code; exit status 2.`

export const USAGE: Readonly<Record<string, string>> = Object.freeze({
  get: `usage: strata get DIR KEY [--hex] [--json]
  Prints the value of KEY; prints nothing and exits 1 when KEY is absent (--json: null).`,
  put: `usage: strata put DIR KEY VALUE [--hex]
  Stores KEY -> VALUE, fdatasynced before strata exits. Creates the database if DIR has none.
  --hex: KEY and VALUE are hex digits.`,
  del: `usage: strata del DIR KEY [--hex]
  Deletes KEY, fdatasynced before strata exits.`,
  scan: `usage: strata scan DIR [--gt K | --gte K] [--lt K | --lte K] [--prefix P] [--reverse]
                  [--limit N] [--keys-only] [--hex] [--json]
  Prints key<TAB>value per entry in key order (--reverse: descending), at most N entries.
  --prefix P: the keys that start with P (not combined with the other bounds).
  --json: one {"key", "value"} object per line.`,
  stats: `usage: strata stats DIR [--json]
  Files and bytes per level, compaction scores, WAL and flush traffic, write amplification,
  stalls, cache hit rates.`,
  compact: `usage: strata compact DIR [--json]
  Compacts every key range down to the deepest level holding data (progress bar on a terminal).`,
  verify: `usage: strata verify DIR [--json]
  Reads the MANIFEST, every live table (every block, from disk) and every WAL recovery would
  replay, checking every checksum and the tables' key order, filters and properties. The
  database must not be open elsewhere (LOCKED). Exit status 2 when any file is damaged.`,
  dump: `usage: strata dump sst FILE [--hex] [--json]
       strata dump wal FILE [--hex] [--json]
       strata dump manifest DIR|FILE [--hex] [--json]
  Decodes one file. Table entries and MANIFEST keys show as key @sequence kind.`,
  bench: `usage: strata bench [flags]
  Runs node dist/benchmarks/run.js with the same flags (strata bench --help lists them):
  stratadb and LevelDB side by side, a table on stdout, JSON and SVG under benchmarks/results/.`,
})
