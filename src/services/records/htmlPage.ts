/** Text made safe for HTML. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A printable A4 page in Chinese: the service unit prints it, signs it and hands it over. */
export function a4Page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "Source Han Sans SC", sans-serif; font-size: 11pt; color: #000; }
h1 { text-align: center; font-size: 18pt; margin: 0 0 8mm; }
table { width: 100%; border-collapse: collapse; margin: 4mm 0; }
th, td { border: 1px solid #000; padding: 2mm 3mm; text-align: left; vertical-align: top; }
th { width: 30%; background: #f2f2f2; font-weight: normal; }
.signatures { margin-top: 14mm; display: flex; justify-content: space-between; }
.signatures div { width: 45%; border-top: 1px solid #000; padding-top: 2mm; }
.note { font-size: 9pt; margin-top: 6mm; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** A two-column table of named fields. */
export function fieldTable(rows: readonly (readonly [string, unknown])[]): string {
  return `<table>${rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`;
}

export function signatureLines(...roles: readonly string[]): string {
  return `<div class="signatures">${roles.map((role) => `<div>${escapeHtml(role)}（签字）：　　　　　　日期：</div>`).join('')}</div>`;
}
