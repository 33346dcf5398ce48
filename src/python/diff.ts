// A unified diff of two texts (line-based LCS on the part between the common head and tail), for the previews of
// multi-file fixes on the command line.
function lcsOps(a: string[], b: string[]): ('=' | '-' | '+')[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 25_000_000) return [...a.map(() => '-' as const), ...b.map(() => '+' as const)];
  const w = m + 1;
  const dp = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i * w + j] = a[i] === b[j] ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
  const ops: ('=' | '-' | '+')[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push('=');
      i++;
      j++;
    } else if (j < m && (i === n || dp[i * w + j + 1] >= dp[(i + 1) * w + j])) {
      ops.push('+');
      j++;
    } else {
      ops.push('-');
      i++;
    }
  }
  return ops;
}

/** `--- a/PATH` / `+++ b/PATH` unified diff with 3 lines of context; a new file diffs against /dev/null. */
export function unifiedDiff(path: string, before: string | undefined, after: string, context = 3): string {
  const a = before === undefined || before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: ('=' | '-' | '+')[] = [...Array<'='>(head).fill('='), ...lcsOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail)), ...Array<'='>(tail).fill('=')];
  const lines: { op: string; text: string; ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    lines.push({ op, text: op === '+' ? b[bi] : a[ai], ai, bi });
    if (op !== '+') ai++;
    if (op !== '-') bi++;
  }
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${path}`}`, `+++ b/${path}`];
  let k = 0;
  while (k < lines.length) {
    if (lines[k].op === '=') {
      k++;
      continue;
    }
    let last = k;
    for (let j = k + 1; j < lines.length && j - last <= context * 2; j++) if (lines[j].op !== '=') last = j;
    const hunk = lines.slice(Math.max(0, k - context), Math.min(lines.length, last + context + 1));
    const aCount = hunk.filter((l) => l.op !== '+').length;
    const bCount = hunk.filter((l) => l.op !== '-').length;
    out.push(`@@ -${aCount ? hunk[0].ai + 1 : hunk[0].ai},${aCount} +${bCount ? hunk[0].bi + 1 : hunk[0].bi},${bCount} @@`);
    for (const l of hunk) out.push((l.op === '=' ? ' ' : l.op) + l.text);
    k = last + context + 1;
  }
  return out.join('\n') + '\n';
}
