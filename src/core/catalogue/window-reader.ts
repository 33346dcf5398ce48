/**
 * The window reader: a small Perl program run on the host that reads only the incident window of
 * time-ordered text logs, by byte-offset bisection.
 *
 * Why Perl: `perl-base` is an Essential package on Debian (and Ubuntu): it is on every host, it cannot
 * be removed without forcing, and dpkg's own scripts need it. It can seek() and read() a file, which
 * grep/awk/sed cannot; python3 is only there when something needs it. Nothing beyond the core
 * language is used (no module: perl-base ships few). Where perl is missing, the catalogue falls back
 * to the full scan (find | zgrep | awk) and says so.
 *
 * Read-only by construction: files are opened with '<' only; a .gz rotation is read through
 * `gzip -dc` (gzip is Essential too) with the list form of open (no shell). Nothing is written,
 * nothing is started that outlives the command.
 *
 * Input: NUL-separated file names on stdin (from `find -print0`). Arguments, all numbers in seconds:
 *   LO HI   the window to keep (UTC epoch), margins already added;
 *   OFF     offset of the host zone (s), for timestamps without a zone;
 *   REFY REFM  year and month of the window (syslog lines carry no year);
 *   TOL     how far out of order lines may be (s): scanning starts TOL before LO and stops TOL after HI;
 *   WANT    Perl regex a kept timestamped line must match ('' = all); the others are counted per minute;
 *   KEEP    Perl regex of lines never sampled ('' = none); SAMPLE: at most this many other wanted lines
 *           per minute travel (0 = no cap), the rest are counted;
 *   STRIP   prefix removed from the file names printed (bundle folders); FULL: 1 = read every file whole.
 * Lines are read through a bounded reader (rl): a line longer than 32 KiB keeps its first 32 KiB followed by
 * " … [N bytes cut]" (as the transport does, output.ts MAX_LINE_BYTES), so a 100 MB line never sits in
 * the host's memory nor travels.
 * Output: `@@ incident-lens file: PATH` before a file's lines, the kept lines, and notes:
 *   `@@ incident-lens span: FIRST LAST PATH` (epoch of the first and last timestamp of a file),
 *   `@@ incident-lens note: unordered|compressed|sampled|scanned N PATH`,
 *   `@@ incident-lens summary: MINUTE CLASS COUNT` (lines of the window that did not travel).
 */

// (no "use strict" in what travels: loading strict.pm is ~1 ms of every run's start on the host; the tests compile the
// program under perl -Mstrict, window-reader-blocks.test.ts)
const PROGRAM = String.raw`
BEGIN { $^W = 0 }
my ($LO,$HI,$OFF,$REFY,$REFM,$TOL,$WANT,$KEEP,$SAMPLE,$STRIP,$FULL) = @ARGV;
# WANT and KEEP as lists of their top-level alternatives, each compiled alone: Perl skips to a fixed substring of
# each, but finds none in their alternation and tries it at every byte (30 times slower); a line matches the regex
# when it matches one of them; not split where that could change the meaning ((?...) groups, back-references). The
# plain words among them ([x] read as x) go together in one alternation, which Perl matches as a trie in one pass
# (12 words: 5 times faster than 12 regexes)
sub alts { my $re = shift; return () unless length $re; my ($d, $cur, @a) = (0, "");
  return ($re) if $re =~ /\(\?|\\[1-9gkK]|\[:/;
  while ($re =~ /\G(\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|[()|]|[^\\\[()|]+)/gcs) { my $x = $1;
    if ($x eq "|" && !$d) { push @a, $cur; $cur = ""; next; } $d++ if $x eq "("; $d-- if $x eq ")"; $cur .= $x; }
  push @a, $cur; return ($re) if (pos($re) // 0) != length($re) || $d || grep { !length } @a;
  my (@lit, @re); for (@a) { (my $x = $_) =~ s{\[([^\]\\^])\]}{$1 =~ /\W/ ? "\\$1" : $1}ge;
    if ($x =~ /^(?:[^\\\[\](){}.*+?^\$|]|\\\W)+$/) { push @lit, $x; } else { push @re, $_; } }
  my $lit = join("|", @lit); return ((@lit ? ($lit) : ()), @re); }
my @Ws = alts($WANT); my @W = map { qr/$_/ } @Ws; my @K = map { qr/$_/ } alts($KEEP); my ($W, $K) = (scalar @W, scalar @K);
sub any { my $l = shift; for (@_) { return 1 if $l =~ $_ } return 0; }
my %MON = (Jan=>1,Feb=>2,Mar=>3,Apr=>4,May=>5,Jun=>6,Jul=>7,Aug=>8,Sep=>9,Oct=>10,Nov=>11,Dec=>12);
my (%SUM, %PERMIN, $SAMPLED, $MARKED, %DAY, %DAYS);
sub days { my ($y,$m,$d) = @_; $y-- if $m <= 2; my $era = int($y/400); my $yoe = $y - $era*400;
  my $doy = int((153*($m + ($m > 2 ? -3 : 9)) + 2)/5) + $d - 1;
  return $era*146097 + $yoe*365 + int($yoe/4) - int($yoe/100) + $doy - 719468; }
sub wall { my ($y,$mo,$d,$h,$mi,$s) = @_; return ($DAYS{"$y $mo $d"} //= days($y,$mo,$d))*86400 + $h*3600 + $mi*60 + $s; }
sub zoff { my $z = shift; return $OFF unless defined $z; return 0 if $z eq "Z" || $z eq "UTC" || $z eq "GMT";
  return undef unless $z =~ /^([-+])(\d\d):?(\d\d)$/; my $o = $2*3600 + $3*60; return $1 eq "-" ? -$o : $o; }
# the UTC epoch of a timestamp value of a JSON log line: ISO 8601 or nginx's $time_local form
sub tsval { my $v = shift;
  if ($v =~ m{^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,]\d+)? ?(Z|[-+]\d\d:?\d\d|UTC|GMT)?$}) {
    my $o = zoff($7); return defined $o ? wall($1,$2,$3,$4,$5,$6) - $o : undef; }
  if ($v =~ m{^(\d\d)/([A-Z][a-z][a-z])/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.\d+)? ([-+]\d\d\d\d)$} && $MON{$2}) {
    return wall($3,$MON{$2},$1,$4,$5,$6) - zoff($7); }
  return undef; }
# a JSON object per line (nginx log_format escape=json, structured app logs): the time is a field, anywhere
# in the object; a key counts only where a key can stand (after { or ,), never inside an escaped value
sub jsonts { my $l = shift; return undef unless $l =~ /^\s*\{/;
  while ($l =~ m~[\{,]\s*"(\@timestamp|timestamp|time_iso8601|time_local|time|datetime|date)"\s*:\s*"([^"\\]*)"~g) {
    my $t = tsval($2); return $t if defined $t; }
  return undef; }
# the UTC epoch of a line"s timestamp (leading, or the time field of a JSON line), or undef (a continuation line)
# (the busiest format first computes its day's epoch once: a line costs one match and a hash look-up)
sub ts {
  my $l = $_[0];
  if (substr($l, 0, 1) eq "{" || $l =~ /^\s+\{/) { return jsonts($l); }
  if ($l =~ m{^(?:\[?(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\]? )?\[?(\d{4})[-/](\d\d)[-/](\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,]\d+)?(?: ?(Z|[-+]\d\d:?\d\d|UTC|GMT)\b)?}) {
    my $o = zoff($7); $o = $OFF unless defined $o; return wall($1,$2,$3,$4,$5,$6) - $o; }
  if ($l =~ m{^\S+ \S+ \S+ \[(\d\d)/([A-Z][a-z][a-z])/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.\d+)? ([-+]\d\d\d\d)\]} && $MON{$2}) {
    my $d = $DAY{"$1$2$3$7"} //= days($3,$MON{$2},$1)*86400 - zoff($7); return $d + $4*3600 + $5*60 + $6; }
  if ($l =~ m{^([A-Z][a-z][a-z]) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)\b} && $MON{$1}) {
    my $m = $MON{$1}; my $y = $REFY; $y-- if $m - $REFM > 6; $y++ if $REFM - $m > 6;
    return wall($y,$m,$2,$3,$4,$5) - $OFF; }
  return undef;
}
# the bounded line reader: reads 64 KiB blocks (4 KiB while probing: a probe wants one line), returns one line of at most $CAP bytes (cut on a character
# boundary, with the count of bytes left out); $USED = the bytes of the file it consumed. sk() seeks and forgets the block
my $CAP = 32768; our $RS = 65536; my (%BUF, $USED);
sub sk { my ($fh, $off) = @_; delete $BUF{$fh}; seek($fh, $off, 0); }
sub rl { my $fh = shift; my $b = \($BUF{$fh} //= ""); my ($l, $cut, $end) = (undef, 0, 0); $USED = 0;
  while (1) { my $i = index($$b, "\n"); my $part;
    if ($i >= 0) { $part = substr($$b, 0, $i + 1, ""); $end = 1; } elsif (length $$b) { $part = $$b; $$b = ""; }
    else { my $n = read($fh, $$b, $RS); last unless $n; next; }
    $USED += length $part; chop $part if $end; $l //= ""; my $room = $CAP - length $l;
    if (length($part) <= $room) { $l .= $part; } else { $room = 0 if $room < 0;
      $room-- while $room > 0 && (ord(substr($part, $room, 1)) & 0xc0) == 0x80;
      $l .= substr($part, 0, $room); $cut += length($part) - $room; }
    last if $end; }
  return undef unless defined $l; $l .= " … [$cut bytes cut]" if $cut; return $end ? "$l\n" : $l; }
sub name { my $f = shift; return substr($f, length($STRIP)); }
sub mark { my $f = shift; return if $MARKED; print "@@ incident-lens file: ", name($f), "\n"; $MARKED = 1; }
# whether a line of the window (in minute $m) is kept: the filter, then the sampling cap; a line left out is counted
sub chosen { my ($l, $m) = @_;
  if ($W && !any($l, @W)) { $SUM{$m}{class($l)}++; return 0; }
  if ($SAMPLE > 0 && !($K && any($l, @K)) && ++$PERMIN{$m} > $SAMPLE) { $SAMPLED++; $SUM{$m}{"sampled " . class($l)}++; return 0; }
  return 1; }
sub class { my $l = shift; return "$1xx" if $l =~ /" ([1-5])\d\d \d/;
  return lc($1) if $l =~ /\b(EMERG|ALERT|CRIT|CRITICAL|FATAL|PANIC|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG|LOG)\b/i; return "other"; }
# the first timestamped line at or after byte $off (a partial line is skipped): (epoch, offset)
sub probe { my ($fh, $off, $lim) = @_; my $pos = $off; local $RS = 4096;
  if ($off > 0) { sk($fh, $off - 1); rl($fh); $pos = $off - 1 + $USED; } else { sk($fh, 0); }
  while ($pos < $lim) { my $l = rl($fh); last unless defined $l; my $t = ts($l); return ($t, $pos) if defined $t; $pos += $USED; }
  return (undef, $pos); }
# the last timestamped line of the file's last 256 KiB, looked for from the end (the first line there may be partial);
# the last 8 KiB first (whole lines only), which nearly always holds one
sub last_ts { my ($fh, $size) = @_;
  for my $span (8192, 262144) { my $from = $size > $span ? $size - $span : 0; my $buf = "";
    seek($fh, $from, 0); read($fh, $buf, $size - $from); my $end = length $buf;
    # line by line from the end ($end: past the line's newline), with rindex (splitting 8 KiB into lines took ~170 µs)
    while ($end > 0) { my $i = $end >= 2 ? rindex($buf, "\n", $end - 2) : -1; last if $i < 0 && $from > 0;
      my $t = ts(substr($buf, $i + 1, $end - $i - 1)); return $t if defined $t; $end = $i + 1; }
    return undef if $from == 0; }
  return undef; }
# the block path of the bisection scan (no per-line work where a whole block is known to be in or out): a block
# of whole lines (64 KiB) whose EVERY line is an nginx access line (4th field [$time_local]; none that ts() would
# read as JSON or ISO first; none over the cap) has its timestamps taken by one global match, each distinct
# second dated once (kts, span); a block wholly inside the window is copied (no filter) or picked from, one outside it is
# skipped; any other block (a straggler, the edge, the stop, continuation lines, other formats) goes line by line
my (%TSC, %TSM);
# the epoch of a [$time_local] value (as ts() reads it: one ts() per distinct minute and zone, plus the seconds)
sub kts { my ($m, $s, $z) = $_[0] =~ m{^(\d\d/[A-Z][a-z][a-z]/\d{4}:\d\d:\d\d):(\d\d)(?:\.\d+)? ([-+]\d\d\d\d)$} or return undef;
  my $b = $TSM{"$m $z"} //= ts("- - - [$m:00 $z]"); return defined $b ? $b + $s : undef; }
# the first and last instants of a block's distinct [$time_local] values: when all share a day and a zone (nearly
# always) their text sorts as their time and only the two ends are dated, else each is
sub span { my @s = sort @_; my ($p, $z) = (substr($s[0], 0, 12), substr($s[0], 21));
  return (kts($s[0]), kts($s[-1])) if length($s[0]) == 26 && (() = join("\n", @s) =~ /^\Q$p\E\d\d:\d\d:\d\d \Q$z\E$/mg) == @s;
  my ($min, $max); for (@s) { my $t = $TSC{$_} //= kts($_); return () unless defined $t;
    $min = $t if !defined $min || $t < $min; $max = $t if !defined $max || $t > $max; }
  return ($min, $max); }
# the lines of a block of nginx access lines, without reading or dating each line again (the block's keys are its lines'
# [$time_local], in order): the same choices as scan() line by line — a block wholly inside the window goes through the
# filter and the sampling cap (chosen); an edge block ($edge) also keeps only its lines inside the window and stops at the
# first line past HI + TOL (returns -1 there); returns the last line's keep
sub pick { my ($f, $c, $k, $edge) = @_; my ($i, $keep) = (0, 0);
  for my $l (split /^/, $c) { my $t = $TSC{$k->[$i]} //= kts($k->[$i]); $i++;
    if ($edge) { return -1 if $t > $HI + $TOL; $keep = $t >= $LO && $t <= $HI && chosen($l, int($t / 60) * 60) ? 1 : 0; }
    else { $keep = chosen($l, int($t / 60) * 60); }
    if ($keep) { mark($f); print $l; } }
  return $keep; }
# the block path of syslog lines ("Mon dd HH:MM:SS host prog[pid]: text" or its RFC 3339 form, as ts() reads them: every
# line of the block, none that ts() reads in another form first): their minutes from one pass (skeys); a block wholly
# outside the window (and before the stop) is skipped; one wholly inside it keeps the lines a WANT regex matches,
# searched through the block (the line a match starts in is then checked alone, as chosen() does, and the search goes on
# from the next line), and counts the others per minute and class: "other", but for the lines where a level word or a
# quote-space is found (index() in the block lowercased), which class() reads alone; 1 when it took the block. Anything
# else (an edge, the stop, a sampling cap, a host zone not in whole minutes, a WANT that can look past its line's end:
# $, \B, \z, (?…)) goes line by line
my %SYM; my $WBOK = $W && $WANT !~ /\(\?|\\[AzZGKB]|\$/; my $SYB = !$SAMPLE && $OFF % 60 == 0 && (!$W || $WBOK);
my @WB = $WBOK ? map { qr/$_/m } @Ws : ();
my @LEVEL = ("emerg", "alert", "crit", "fatal", "panic", "error", "warn", "notice", "info", "debug", "log", "\" ");
sub lines_with { my ($c, $at, $r) = @_; pos($c) = 0;
  while ($c =~ /$r/g) { my $s = $-[0]; last if $s >= length $c; $at->{$s ? rindex($c, "\n", $s - 1) + 1 : 0} |= 1; pos($c) = index($c, "\n", $s) + 1; } }
# the lines of block $c starting at the offsets of %$at, in order: [line, its flags, 1 if it is the block's last line]
sub lines_at { my ($c, $at) = @_;
  return map { my $le = index($c, "\n", $_); [substr($c, $_, $le - $_ + 1), $at->{$_}, $le == length($c) - 1 ? 1 : 0] } sort { $a <=> $b } keys %$at; }
# a line counted with the others of its minute taken back out (it is kept, or counted again as chosen() counts it)
sub uncount { my ($m, $x) = @_; my $n = $SUM{$m}; delete $n->{$x} unless --$n->{$x}; }
# the minute of each line of a block of syslog lines, as ts() reads them (none if a line is not one): the traditional form
# (read in the host's zone) or rsyslog's RFC 3339 form (Debian 12's default: "2025-01-15T22:20:05.123456+01:00 host …"),
# every line then in the first line's zone, every second 00-59 (ts() reads a leap second, :60, as the next minute's
# first); returns that zone ("" for the traditional form) and the minutes
my %ISO;
sub skeys { my $c = shift;
  my @k = $c =~ /\G(?:(?!\S+ \S+ \S+ \[\d\d\/[A-Z][a-z][a-z]\/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)? [-+]\d\d\d\d\])([A-Z][a-z][a-z] {1,2}\d{1,2} \d\d:\d\d):[0-5]\d\b\N*+\n|\z)/g;
  return ("", @k) if @k; return () unless $c =~ /\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(Z|[-+]\d\d:\d\d) /; my $z = $1;
  my $re = $ISO{$z} //= qr/\G(?:(\d{4}-\d\d-\d\dT\d\d:\d\d):[0-5]\d(?:\.\d+)?\Q$z\E \N*+\n|\z)/; return ($z, $c =~ /$re/g); }
sub sblock { my ($c, $f, $keep) = @_; return 0 unless $SYB;
  my ($z, @k) = skeys($c); return 0 if !@k || defined(pop @k) || !@k;
  my (%u, %e, $min, $max); $u{$_}++ for @k;
  for (keys %u) { my $t = $e{$_} = $SYM{"$_$z"} //= ts("$_:00$z"); return 0 unless defined $t;
    $min = $t if !defined $min || $t < $min; $max = $t if !defined $max || $t > $max; }
  $max += 59; if ($max < $LO || $min > $HI && $max <= $HI + $TOL) { $$keep = 0; return 1; }
  return 0 unless $min >= $LO && $max <= $HI;
  unless ($W) { mark($f); print $c; $$keep = 1; return 1; }
  my %at; lines_with($c, \%at, $_) for @WB;
  my $lc = lc $c; for my $w (@LEVEL) { my $p = 0;
    while (($p = index($lc, $w, $p)) >= 0) { $at{rindex($lc, "\n", $p) + 1} |= 2; $p = index($lc, "\n", $p) + 1; } }
  $SUM{$e{$_}}{other} += $u{$_} for keys %u; $$keep = 0; my $kre = $z eq "" ? qr/^(\S+ +\S+ \d\d:\d\d)/ : qr/^(\S{16})/;
  for (lines_at($c, \%at)) { my ($l, $flags, $last) = @$_; my ($m) = $l =~ $kre; uncount($e{$m}, "other");
    if ($flags & 1 && any($l, @W)) { mark($f); print $l; $$keep = $last; } else { $SUM{$e{$m}}{class($l)}++; } }
  return 1; }
# a block of nginx access lines wholly inside the window, with a filter that can be searched through a block: the lines
# a WANT regex matches found as sblock() finds them, each then chosen() alone in the file's order (the sampling cap
# counts as line by line); the others counted per minute and status class from one pass; a line without a status: pick()
sub apick { my ($f, $c, $k) = @_; return pick($f, $c, $k) unless $WBOK;
  my @cl = $c =~ /^(?|\N*?" ([1-5])\d\d \d|)/mg; return pick($f, $c, $k) if @cl != @$k || grep { !defined } @cl;
  my %at; lines_with($c, \%at, $_) for @WB;
  for my $i (0 .. $#cl) { $SUM{int(($TSC{$k->[$i]} //= kts($k->[$i])) / 60) * 60}{$cl[$i] . "xx"}++; }
  my $keep = 0;
  for (lines_at($c, \%at)) { my ($l, undef, $last) = @$_;
    my ($key) = $l =~ /^\S+ \S+ \S+ \[([^\]\n]*)\]/; my $m = int(($TSC{$key} //= kts($key)) / 60) * 60; uncount($m, class($l));
    my $kept = chosen($l, $m); if ($kept) { mark($f); print $l; } $keep = $kept && $last ? 1 : 0; }
  return $keep; }
# returns 0 when it took a block off the buffer, -1 when it met the stop (a line past HI + TOL), else the bytes to read
# line by line before trying again
sub block { my ($fh, $f, $keep) = @_; my $b = \($BUF{$fh} //= "");
  while (length($$b) < 65536) { my $n = read($fh, $$b, 65536, length $$b); last unless $n; }
  my $e = rindex($$b, "\n") + 1; return 1 unless $e; my $c = substr($$b, 0, $e);
  for (my $p = 0; $p < $e; $p += 16384) { my $i = index($c, "\n", $p); return $e if $i - $p >= 16384; }
  # one pass, line after line from the block's start (\G): a line that is not an access line ends the chain; the chain
  # reached the block's end when its last match is the empty one at \z (its key undef)
  my @k = $c =~ /\G(?:(?![\{\[]|\d{4}[-\/]|DEBUG|INFO|WARNING|ERROR|CRITICAL)\S++ \S++ \S++ \[([^\]\n]*+)\]\N*+\n|\z)/g;
  unless (@k) { return $e unless sblock($c, $f, $keep); substr($$b, 0, $e, ""); return 0; }
  return $e if defined(pop @k) || !@k;
  my %u; @u{@k} = (); my ($min, $max) = span(keys %u); return $e unless defined $min && defined $max;
  my $out = $max < $LO || $min > $HI;
  if ($max > $HI + $TOL || !$out && ($min < $LO || $max > $HI)) { my $r = pick($f, $c, \@k, 1); return -1 if $r < 0; $$keep = $r; }
  elsif ($out) { $$keep = 0; }
  elsif ($W) { $$keep = apick($f, $c, \@k); } elsif ($SAMPLE > 0) { $$keep = pick($f, $c, \@k); }
  else { mark($f); print $c; $$keep = 1; }
  substr($$b, 0, $e, ""); return 0; }
# reads lines from the current position; keeps the window"s lines and their continuation lines
sub scan { my ($fh, $f, $stop) = @_; my ($keep, $left) = (0, 0);
  while (1) {
    if ($stop && $left <= 0) { $left = block($fh, $f, \$keep); last if $left < 0; next unless $left; }
    my $l = rl($fh); last unless defined $l; $left -= $USED;
    my $t = ts($l);
    if (defined $t) {
      last if $stop && $t > $HI + $TOL;
      $keep = ($t >= $LO && $t <= $HI && chosen($l, int($t/60)*60)) ? 1 : 0;
    }
    next unless $keep; mark($f) unless $MARKED; $l .= "\n" unless substr($l, -1) eq "\n"; print $l;
  }
}
sub note { print "@@ incident-lens note: $_[0] ", ($_[2] // 0), " ", name($_[1]), "\n"; }
sub plain { my $f = shift; my $fh; unless (open($fh, "<", $f)) { print STDERR "$f: $!\n"; return; }
  my $size = -s $fh; return unless $size;
  my ($first) = probe($fh, 0, $size); my $last = last_ts($fh, $size);
  print "@@ incident-lens span: $first $last ", name($f), "\n" if defined $first && defined $last;
  return if defined $last && $last < $LO - $TOL; return if defined $first && $first > $HI + $TOL;
  # probes spread over the file must agree on the order, or the bisection cannot be trusted
  my ($max, $unordered) = (undef, 0);
  for my $i (0 .. 16) { my ($t) = probe($fh, int($size*$i/16), $size); next unless defined $t;
    $unordered = 1 if defined $max && $t < $max - $TOL; $max = $t if !defined $max || $t > $max; }
  $unordered = 1 if defined $last && defined $max && $last < $max - $TOL;
  if ($FULL || $unordered || !defined $first) { note($unordered ? "unordered" : "scanned", $f) if !$FULL; sk($fh, 0); scan($fh, $f, 0); return; }
  my ($lo, $hi, $target) = (0, $size, $LO - $TOL);
  while ($hi - $lo > 65536) { my $mid = int(($lo + $hi)/2); my ($t) = probe($fh, $mid, $hi);
    if (!defined $t) { $hi = $mid; next; } if ($t < $target) { $lo = $mid; } else { $hi = $mid; } }
  if ($lo > 0) { sk($fh, $lo - 1); rl($fh); } else { sk($fh, 0); }
  scan($fh, $f, 1);
}
sub gz { my $f = shift; my $mt = (stat($f))[9]; return if defined $mt && $mt < $LO - $TOL;
  my $fh; unless (open($fh, "-|", "gzip", "-dc", "--", $f)) { print STDERR "$f: $!\n"; return; }
  my $first; while (defined(my $l = rl($fh))) { $first = ts($l); last if defined $first; } delete $BUF{$fh}; close($fh);
  return if defined $first && $first > $HI + $TOL;
  note("compressed", $f); open($fh, "-|", "gzip", "-dc", "--", $f) or return; scan($fh, $f, !$FULL); delete $BUF{$fh}; close($fh);
}
local $/ = "\0"; my @files = grep { length } map { chomp; $_ } <STDIN>; $/ = "\n";
@files = sort { ((stat($a))[9] // 0) <=> ((stat($b))[9] // 0) || $b cmp $a } @files;
for my $f (@files) { $MARKED = 0; %BUF = (); if ($f =~ /\.gz$/) { gz($f) } else { plain($f) } }
print "@@ incident-lens note: sampled $SAMPLED -\n" if $SAMPLED;
for my $m (sort { $a <=> $b } keys %SUM) { for my $c (sort keys %{$SUM{$m}}) { print "@@ incident-lens summary: $m $c $SUM{$m}{$c}\n"; } }
`;

/** A Perl program as sent: comment lines and indentation dropped (it travels in every command). */
export function asSent(program: string): string {
  return program
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .join('\n');
}

export const WINDOW_READER = asSent(PROGRAM);

export interface WindowReadArgs {
  /** Window with its margins, epoch milliseconds. */
  from: number;
  to: number;
  /** Host zone offset in minutes (for timestamps without a zone). */
  offsetMinutes: number;
  refYear: number;
  refMonth: number;
  toleranceMs: number;
  want: string;
  keep: string;
  samplePerMinute: number;
  strip: string;
  full: boolean;
}

export function windowReaderArgs(a: WindowReadArgs): string[] {
  return [
    String(Math.floor(a.from / 1000)),
    String(Math.ceil(a.to / 1000)),
    String(a.offsetMinutes * 60),
    String(a.refYear),
    String(a.refMonth),
    String(Math.ceil(a.toleranceMs / 1000)),
    a.want,
    a.keep,
    String(a.samplePerMinute),
    a.strip,
    a.full ? '1' : '0',
  ];
}
