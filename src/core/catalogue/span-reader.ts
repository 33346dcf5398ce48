/**
 * The span reader: a small Perl program run on the host that prints, for each text log, what `log_spans` needs: its
 * rotations' last writes and first lines, in the very shape of the find | grep -H | zgrep -H commands it replaces
 * (`@@ span ID`, `@@ mtime EPOCH PATH`, `PATH:line`), so coverage.ts reads both the same way.
 *
 * Why: those commands start ~25 processes for five logs (a find and a grep per log, and zgrep — a script — ~14 for a
 * single .gz); this starts one perl, and a gzip per .gz rotation, read only until its third line (gzip then ends on
 * SIGPIPE). Perl is Essential on Debian (see window-reader.ts); where it is missing the find commands run instead.
 *
 * Read-only by construction: directories are listed with opendir, files opened with '<', a .gz through `gzip -dc` with
 * the list form of open (no shell). Lines are read in bounded blocks (a 100 MB line never sits in memory) and cut at
 * 4 KiB: only their leading timestamp matters.
 *
 * Arguments: MTIMES (1 = print the last writes), then DIR BASE ID for each log: the regular files of DIR (not
 * symlinks, not below it) named BASE, BASE.* or BASE-* (find's -maxdepth 1 -type f -name …).
 */
import { asSent } from './window-reader';

// (the line cut below is the window reader's rl(), at 4 KiB: the two programs travel apart, so each has its own)
const PROGRAM = String.raw`
BEGIN { $^W = 0 }
my $MT = shift @ARGV;
# up to 3 lines of a file: read by blocks of 64 KiB, at most 256 KiB in all; each line cut at 4 KiB (on a character)
sub head3 { my $fh = shift; my ($buf, $got) = ("", 0); my @l;
  while (@l < 3 && $got < 262144) { my $n = read($fh, $buf, 65536, length $buf); last unless $n; $got += $n;
    while (@l < 3 && (my $i = index($buf, "\n")) >= 0) { push @l, substr($buf, 0, $i + 1, ""); } }
  push @l, $buf if @l < 3 && length $buf;
  return map { my $x = $_; chomp $x; if (length($x) > 4096) { my $k = 4096; $k-- while $k > 0 && (ord(substr($x, $k, 1)) & 0xc0) == 0x80; $x = substr($x, 0, $k); } $x } @l; }
while (@ARGV >= 3) { my ($dir, $base, $id) = splice(@ARGV, 0, 3);
  print "@@ span $id\n"; my $dh; opendir($dh, $dir) or next;
  my @f = map { "$dir/$_" } sort grep { $_ eq $base || index($_, "$base.") == 0 || index($_, "$base-") == 0 } readdir($dh); closedir($dh);
  @f = grep { lstat($_) && -f _ } @f;
  if ($MT) { for (@f) { print "@@ mtime ", (lstat($_))[9], " $_\n"; } }
  for my $f (@f) { my $fh;
    if ($f =~ /\.gz$/) { open($fh, "-|", "gzip", "-dc", "--", $f) or next; } else { open($fh, "<", $f) or next; }
    print "$f:$_\n" for head3($fh); close($fh); }
}
`;

export const SPAN_READER = asSent(PROGRAM);
