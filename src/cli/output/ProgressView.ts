export interface ProgressState {
  readonly fraction: number;
  readonly stage: string | null;
  readonly etaSeconds: number | null;
  readonly detail?: string;
}

export interface ProgressSink {
  write(text: string): void;
}

function eta(seconds: number | null, language: 'zh-CN' | 'en'): string {
  if (seconds === null) return '';
  if (language === 'zh-CN') return seconds < 60 ? ` 约剩 ${seconds} 秒` : ` 约剩 ${Math.floor(seconds / 60)} 分 ${seconds % 60} 秒`;
  if (seconds < 60) return ` ETA ${seconds}s`;
  return ` ETA ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * Shows a job's progress: a redrawn bar on a terminal, plain lines otherwise (one per stage and per
 * 10 % step), so that logs and pipes stay readable.
 */
export class ProgressView {
  private lastStage: string | null = null;
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink, private readonly tty: boolean, private readonly width = 30,
    private readonly language: 'zh-CN' | 'en' = 'en',
  ) {}

  update(state: ProgressState): void {
    const percent = Math.floor(Math.min(Math.max(state.fraction, 0), 1) * 100);
    if (this.tty) {
      const filled = Math.round((percent / 100) * this.width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}`;
      const text = `[${bar}] ${String(percent).padStart(3)}% ${state.stage ?? ''}${state.detail ? (this.language === 'zh-CN' ? `（${state.detail}）` : ` (${state.detail})`) : ''}${eta(state.etaSeconds, this.language)}`;
      this.sink.write(`\r\u001b[2K${text}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(percent / 10);
    if (state.stage !== this.lastStage || decile !== this.lastDecile) {
      this.sink.write(`${String(percent).padStart(3)}% ${state.stage ?? ''}${eta(state.etaSeconds, this.language)}\n`);
      this.lastStage = state.stage;
      this.lastDecile = decile;
    }
  }

  /** A line of its own (the job waits, or goes on again), the bar redrawn after it by the next update. */
  note(text: string): void {
    this.sink.write(this.tty && this.drawn ? `\r\u001b[2K${text}\n` : `${text}\n`);
    this.drawn = false;
  }

  /** Ends the bar's line so what follows starts on a fresh one. */
  finish(): void {
    if (this.tty && this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}
