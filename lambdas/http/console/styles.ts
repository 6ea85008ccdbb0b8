/**
 * The console's one stylesheet, served from our origin (assets.ts): the CSP allows no inline style,
 * so every colour and size is here. Colours meet WCAG AA (4.5:1) on their backgrounds.
 */
export const CONSOLE_CSS = `
:root{--ink:#1a1a1a;--muted:#4d4d4d;--line:#c9c9c9;--soft:#f4f5f7;--accent:#1b4fbf;--accent-ink:#fff;--ok:#0b5d1e;--ok-bg:#e6f4ea;--warn:#7a4100;--warn-bg:#fff4e0;--bad:#9f1239;--bad-bg:#fdecef}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#fff}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:8px}
.skip:focus{left:8px;z-index:10}
header.top{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center;justify-content:space-between;padding:8px 24px;border-bottom:1px solid var(--line);background:var(--soft)}
header.top .brand{font-weight:700;font-size:18px}
header.top form{display:inline-flex;gap:6px;align-items:center;margin:0}
nav.main ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;margin:0;padding:8px 24px;border-bottom:1px solid var(--line)}
nav.main a{text-decoration:none;padding:4px 2px;display:inline-block}
nav.main a[aria-current=page]{font-weight:700;border-bottom:3px solid var(--accent)}
main{padding:16px 24px 48px;max-width:1200px}
h1{font-size:26px;margin:8px 0 16px}
h2{font-size:20px;margin:28px 0 10px}
h3{font-size:17px;margin:18px 0 8px}
p.help,.help{color:var(--muted);font-size:14px;margin:2px 0 8px}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:700;padding:4px 0}
label{display:block;font-weight:600;margin:12px 0 4px}
label.inline{display:inline-flex;gap:6px;align-items:center;font-weight:400;margin:4px 16px 4px 0}
input[type=text],input[type=email],input[type=url],input[type=number],input[type=search],input[type=datetime-local],input[type=date],input[type=time],select,textarea{font:inherit;padding:6px 8px;border:1px solid #767676;border-radius:4px;max-width:100%;background:#fff;color:var(--ink)}
input[type=text],input[type=email],input[type=url],input[type=search],textarea{width:36rem}
input[type=number]{width:7rem}
textarea{min-height:8rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:14px}
input[type=color]{width:4rem;height:2.4rem;padding:2px;border:1px solid #767676;border-radius:4px;background:#fff}
fieldset{border:1px solid var(--line);border-radius:6px;margin:16px 0;padding:8px 16px 14px}
legend{font-weight:700;padding:0 4px}
button,.button{font:inherit;display:inline-block;background:var(--accent);color:var(--accent-ink);border:2px solid var(--accent);border-radius:6px;padding:7px 16px;cursor:pointer;text-decoration:none;margin:4px 8px 4px 0}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
.actions{display:flex;flex-wrap:wrap;gap:4px;align-items:center;margin:12px 0}
.actions form{margin:0}
.notice{padding:10px 14px;border-radius:6px;margin:0 0 16px;border-left:6px solid}
.notice.ok{background:var(--ok-bg);color:var(--ok);border-color:var(--ok)}
.notice.warn{background:var(--warn-bg);color:var(--warn);border-color:var(--warn)}
.notice.bad{background:var(--bad-bg);color:var(--bad);border-color:var(--bad)}
.field-error{color:var(--bad);font-weight:600;margin:2px 0}
[aria-invalid=true]{border-color:var(--bad);border-width:2px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;background:var(--soft);border:1px solid var(--line)}
.badge.draft{background:#fff}
.badge.scheduled{background:#e8efff;border-color:#9db5ea}
.badge.planning,.badge.planned{background:var(--ok-bg);border-color:#8fc79f}
.badge.cancelled{background:var(--soft);color:var(--muted)}
.flag{color:var(--warn);font-weight:700}
.calendar{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:6px;list-style:none;padding:0;margin:8px 0}
.calendar>li{border:1px solid var(--line);border-radius:6px;padding:6px;min-height:7rem;background:#fff}
.calendar>li.other{background:var(--soft)}
.calendar>li.today{border:2px solid var(--accent)}
.calendar h3{font-size:14px;margin:0 0 4px}
.calendar ul{list-style:none;padding:0;margin:0 0 6px}
.calendar ul li{font-size:13px;margin:0 0 4px;overflow-wrap:anywhere}
.calendar .totals{font-size:12px;color:var(--muted);margin:0}
.calendar .weekday{border:0;min-height:0;padding:0 6px;font-weight:700;font-size:13px;background:none}
@media (max-width:800px){.calendar{grid-template-columns:1fr}.calendar .weekday{display:none}}
.chart svg{display:block;height:auto;max-width:100%;font-size:14px}
.chart svg text,.chart svg tspan{white-space:pre}
.frames{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.frames figure{margin:0;max-width:100%;overflow-x:auto;flex:0 0 auto}
.frames figcaption{font-weight:600;margin-bottom:4px}
iframe.mail{border:1px solid var(--line);border-radius:6px;background:#fff;height:720px}
iframe.desktop{width:680px}
iframe.phone{width:375px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0 16px}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
progress{width:20rem;max-width:100%;height:1.2rem}
.offer-list{list-style:none;padding:0;margin:4px 0;max-height:22rem;overflow:auto;border:1px solid var(--line);border-radius:6px}
.offer-list li{padding:4px 8px;border-bottom:1px solid #eee}
.swatch{vertical-align:middle;margin-right:6px;border:1px solid #767676}
.subhead{font-weight:700;margin:12px 0 4px}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:4px 0 12px}
.legend svg{vertical-align:-2px}
.interval{white-space:nowrap}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.htmx-indicator{display:none}
.htmx-request .htmx-indicator,.htmx-request.htmx-indicator{display:inline}
`;
