/** CPU use of this process in percent of one core since the previous call. */
export class CpuMeter {
  private lastUsage = process.cpuUsage();
  private lastTime = process.hrtime.bigint();

  sample(): number {
    const usage = process.cpuUsage();
    const time = process.hrtime.bigint();
    const cpuMicros = usage.user - this.lastUsage.user + (usage.system - this.lastUsage.system);
    const wallMicros = Number(time - this.lastTime) / 1000;
    this.lastUsage = usage;
    this.lastTime = time;
    return wallMicros > 0 ? Math.round((1000 * cpuMicros) / wallMicros) / 10 : 0;
  }
}
