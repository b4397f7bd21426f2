// Used only when /usr/bin/time is absent: `node --import maxrss.mjs ...` writes this process's peak
// RSS (KiB) and wall time to $BENCH_RSS_FILE on exit.
import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, `${(process.uptime()).toFixed(2)} ${process.resourceUsage().maxRSS}\n`);
});
