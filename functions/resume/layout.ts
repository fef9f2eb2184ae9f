import { createHash } from 'node:crypto';
import type { Language } from '../shared/domain/order.schema';
import { LANGUAGES } from '../shared/domain/order.schema';
import type { WizardKey, WizardT } from '../shared/i18n/wizard.catalog';
import { markup, raw, type SafeHtml } from './html';
import type { WebResponse } from './http.types';

// The page frame every wizard page shares: language, progress, the error summary, the styles and
// the one small script. Styles and script are inline (no request leaves the page) and allowed by
// their hashes in the Content-Security-Policy, so nothing else can run.

export interface ProgressStep {
  key: WizardKey;
  state: 'done' | 'current' | 'todo';
}

export interface PageContext {
  lang: Language;
  t: WizardT;
  /** The GET address of this page, used by the language switch. */
  selfPath: string;
  orderId?: string;
  progress?: ProgressStep[];
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  status?: number;
  /** Reload this address after N seconds (the "we are preparing the next step" page). */
  refresh?: { seconds: number; url: string };
}

const CSS = `
:root{--ink:#1b1f24;--muted:#545d68;--line:#d4d9df;--bg:#f4f6f8;--card:#fff;--brand:#005e7d;--brand-dark:#00445b;--accent:#0a7d3b;--error:#b3261e;--warn:#8a5300;--focus:#ffbf47}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
a{color:var(--brand)}
a:hover{color:var(--brand-dark)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--ink)}
.skip{position:absolute;left:-9999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
header.top{background:var(--brand);color:#fff}
header.top .bar{max-width:48rem;margin:0 auto;padding:.75rem 1.25rem;display:flex;gap:1rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
.brand{font-weight:700;font-size:1.05rem;letter-spacing:.01em}
.order-id{font-size:.9rem;opacity:.92}
nav.lang ul{list-style:none;margin:0;padding:0;display:flex;gap:.25rem}
nav.lang a{color:#fff;text-decoration:none;padding:.2rem .55rem;border-radius:.3rem;border:1px solid rgba(255,255,255,.55);font-size:.9rem}
nav.lang a[aria-current="true"]{background:#fff;color:var(--brand-dark);font-weight:600}
main{max-width:48rem;margin:1.5rem auto 2rem;padding:0 1.25rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1.5rem 1.75rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .75rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:0 0 .35rem}
p{margin:0 0 .9rem}
.lead{font-size:1.08rem}
.muted{color:var(--muted)}
ol.progress{list-style:none;margin:0 0 1.25rem;padding:0;display:flex;flex-wrap:wrap;gap:.3rem;font-size:.8rem}
ol.progress li{padding:.2rem .5rem;border-radius:1rem;background:#e6eaee;color:var(--muted);white-space:nowrap}
ol.progress li.done{background:#dcefe3;color:#14532d}
ol.progress li.current{background:var(--brand);color:#fff;font-weight:600}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
legend{font-weight:600;margin-bottom:.5rem;padding:0}
.field{margin:0 0 1.1rem}
label.lbl{display:block;font-weight:600;margin-bottom:.25rem}
.hint{display:block;color:var(--muted);font-size:.92rem;margin:-.1rem 0 .35rem}
input[type=text],input[type=email],input[type=number],input[type=search],select{font:inherit;color:inherit;width:100%;max-width:30rem;padding:.5rem .6rem;border:2px solid #6b7682;border-radius:.3rem;background:#fff}
input[type=number]{max-width:9rem}
select[data-tz-filter]{max-width:none;font-size:.95rem}
.invalid input,.invalid select{border-color:var(--error)}
.error-msg{display:block;color:var(--error);font-weight:600;margin:.1rem 0 .3rem}
.suffix-wrap{display:flex;align-items:center;gap:.4rem;max-width:30rem}
.suffix-wrap input{flex:1;min-width:0}
.suffix{font-weight:600;color:var(--muted)}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.7rem .8rem;border:1px solid var(--line);border-radius:.45rem;margin-bottom:.5rem;background:#fff}
.choice>input{margin-top:.3rem;width:1.15rem;height:1.15rem;flex:none}
.choice label{font-weight:600}
.choice .hint{margin:.15rem 0 0}
.grow{flex:1;min-width:0}
.choice .sub{margin-top:.6rem;width:100%}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;align-items:center;margin-top:1.5rem}
.actions .close-hint{margin:0;flex:0 1 auto}
.btn{font:inherit;font-weight:600;display:inline-block;padding:.6rem 1.2rem;border-radius:.35rem;border:2px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;line-height:1.3}
.btn:hover{background:var(--brand-dark);border-color:var(--brand-dark);color:#fff}
.btn.secondary{background:#fff;color:var(--brand)}
.btn.secondary:hover{background:#eef6f9;color:var(--brand-dark)}
.btn.link{background:none;border-color:transparent;border-left:0;border-right:0;color:var(--brand);text-decoration:underline;padding-left:0;padding-right:0;text-align:left}
.btn.link:hover{background:none;border-color:transparent;color:var(--brand-dark)}
.btn[disabled]{opacity:.6;cursor:wait}
.error-summary{border:3px solid var(--error);border-radius:.45rem;padding:1rem 1.25rem;margin:0 0 1.25rem;background:#fff}
.error-summary h2{margin:0 0 .4rem;color:var(--error);font-size:1.1rem}
.error-summary ul{margin:0;padding-left:1.2rem}
.error-summary a{color:var(--error);font-weight:600}
.notice{border-left:5px solid var(--accent);background:#eef8f1;padding:.7rem 1rem;margin:0 0 1.25rem;border-radius:0 .35rem .35rem 0}
.notice.info{border-left-color:var(--brand);background:#edf3f7}
.inline-control{display:flex;gap:.5rem .75rem;flex-wrap:wrap;align-items:center}
.inline-control select{flex:1 1 14rem;width:auto}
.tz-filter{display:block;margin:0 0 .4rem}
.tz-filter input{max-width:30rem}
.draft{display:flex;gap:.5rem 1rem;flex-wrap:wrap;align-items:baseline}
.draft p{margin:0}
.warn{border-left:5px solid var(--warn);background:#fff6e5;padding:.7rem 1rem;margin:.5rem 0 1rem;border-radius:0 .35rem .35rem 0}
.org{border:1px solid var(--line);border-radius:.45rem;padding:.9rem 1rem;margin:0 0 .75rem;background:#fff}
.org.unlikely{background:#fafafa;border-style:dashed}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.4rem 0 1rem;font-size:.95rem}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.org .facts:last-child{margin-bottom:0}
.tag{display:inline-block;vertical-align:middle;margin-left:.25rem;font-size:.8rem;font-weight:600;padding:.05rem .5rem;border-radius:1rem;background:#e6eaee;color:#333;margin:0 .25rem .15rem 0}
.tag.ok{background:#dcefe3;color:#14532d}
.tag.warn{background:#fde7c2;color:#5c3700}
.tag.role{background:var(--brand);color:#fff}
.site{border:1px solid var(--line);border-radius:.45rem;padding:1rem 1rem .25rem;margin:0 0 1rem}
.site>legend{float:left;width:100%;font-size:1.05rem;font-weight:700;margin:0 0 .6rem}
.site>legend+*{clear:both}
.site-remove{margin:-.25rem 0 .5rem}
.org h2{font-size:1.05rem;margin:0 0 .35rem}
.org>p.muted{margin:0 0 .2rem;font-size:.9rem}
.summary-list li:last-child{border-bottom:0}
.row{display:flex;gap:.75rem;flex-wrap:wrap;align-items:flex-end}
.row .field{margin-bottom:1.1rem}
.row>.field:first-child{flex:1 1 16rem}
.admin-line{display:flex;gap:.5rem 1rem;align-items:baseline;flex-wrap:wrap;margin:0 0 1rem}
.admin-line p{margin:0}
.total{font-weight:600;padding:.5rem .75rem;background:#eef2f5;border-radius:.35rem;display:inline-block}
.total.bad{background:#fbe9e7;color:var(--error)}
.summary-list{margin:0 0 1rem;padding:0;list-style:none}
.summary-list li{padding:.55rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
.search{margin-top:1.75rem;padding-top:1rem;border-top:1px solid var(--line)}
.search .row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end}
.search input{max-width:20rem}
footer{max-width:48rem;margin:0 auto 2rem;padding:0 1.25rem;color:var(--muted);font-size:.85rem}
@media (max-width:34rem){.card{padding:1.1rem}.facts{grid-template-columns:1fr}h1{font-size:1.35rem}}
`;

// Progressive enhancement only: every page works without it.
const SCRIPT = `
(function(){
  var summary=document.getElementById('error-summary');
  if(summary){summary.focus();}
  document.querySelectorAll('form').forEach(function(f){
    f.addEventListener('submit',function(){
      setTimeout(function(){f.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=true;});},0);
    });
  });
  document.querySelectorAll('select[data-autosubmit]').forEach(function(s){
    s.addEventListener('change',function(){
      var f=s.form, b=f&&f.querySelector('button[name=intent][value="'+s.getAttribute('data-autosubmit')+'"]');
      if(b){b.click();}
    });
  });
  var split=document.querySelector('[data-license-total]');
  if(split){
    var qty=Number(split.getAttribute('data-quantity'));
    var tpl=split.getAttribute('data-template')||'';
    var inputs=document.querySelectorAll('input[data-licenses]');
    var update=function(){
      var t=0; inputs.forEach(function(i){var n=parseInt(i.value,10); if(!isNaN(n)){t+=n;}});
      split.textContent=tpl.replace('{total}',String(t));
      split.classList.toggle('bad',t!==qty);
    };
    inputs.forEach(function(i){i.addEventListener('input',update);});
    update();
  }
  var fold=function(s){return s.normalize('NFD').replace(/[\u0300-\u036f]/g,'').toLowerCase();};
  document.querySelectorAll('select[data-tz-filter]').forEach(function(sel){
    var wrap=document.createElement('label'); wrap.className='tz-filter';
    var text=document.createElement('span'); text.className='hint'; text.textContent=sel.getAttribute('data-tz-filter');
    var box=document.createElement('input'); box.type='search'; box.setAttribute('autocomplete','off'); box.setAttribute('spellcheck','false');
    var none=document.createElement('span'); none.className='hint'; none.setAttribute('role','status'); none.setAttribute('aria-live','polite');
    wrap.appendChild(text); wrap.appendChild(box); sel.parentNode.insertBefore(wrap,sel); sel.parentNode.insertBefore(none,sel);
    var opts=[].slice.call(sel.querySelectorAll('option')).filter(function(o){return o.value;});
    box.addEventListener('input',function(){
      var q=fold(box.value.trim()), off=/^(?:utc|gmt)?\\s*([+-])\\s*(\\d{1,2})(?::?(\\d{2}))?$/.exec(q), first=null;
      if(off){q='utc'+off[1]+('0'+off[2]).slice(-2)+(off[3]?':'+off[3]:'');}
      opts.forEach(function(o){
        var hit=!q||fold(o.textContent+' '+(o.getAttribute('data-search')||'')+' '+o.value).indexOf(q)>=0;
        o.hidden=!hit; if(hit&&!first){first=o;}
      });
      sel.querySelectorAll('optgroup').forEach(function(g){g.hidden=!g.querySelector('option:not([hidden])');});
      none.textContent=first?'':sel.getAttribute('data-tz-none');
      if(q&&first&&(!sel.value||sel.selectedOptions[0].hidden)){sel.value=first.value;}
    });
  });
  // Drafts: what was typed on a step stays in this tab's sessionStorage (never on the server: a
  // GET changes nothing), and is offered back when the link is opened again. A decision clears it.
  // A page that answers this form's own post (+ add site, a new country) shows what was posted:
  // nothing was lost, so it offers nothing and keeps what it shows as the draft. Otherwise the
  // draft is offered only when it holds a value the form does not show.
  var store=null; try{store=window.sessionStorage;}catch(e){}
  var visible=function(f,name){var el=f.elements.namedItem(name);return !!el&&el.type!=='hidden';};
  var fieldsOf=function(f){var out=[];new FormData(f).forEach(function(v,k){if(k!=='csrf'&&k!=='intent'&&typeof v==='string'){out.push([k,v]);}});return out;};
  var offered={};
  if(store){document.querySelectorAll('form[data-draft]').forEach(function(f){
    var key='wz-draft:'+f.getAttribute('action');
    var save=function(){var all=fieldsOf(f);if(all.some(function(e){return visible(f,e[0])&&e[1]!=='';})){store.setItem(key,JSON.stringify(all));}};
    f.addEventListener('input',save); f.addEventListener('change',save);
    f.addEventListener('submit',function(ev){var b=ev.submitter;if(b&&['confirm','submit','map'].indexOf(b.value)>=0){store.removeItem(key);}else if(!b||b.value!=='start'){store.setItem(key+'#posted','1');}});
  });
  document.querySelectorAll('form[data-draft]').forEach(function(f){
    var key='wz-draft:'+f.getAttribute('action');
    if(offered[key]){return;}
    var shown=fieldsOf(f);
    if(store.getItem(key+'#posted')){
      store.removeItem(key+'#posted');
      if(shown.some(function(e){return visible(f,e[0])&&e[1]!=='';})){store.setItem(key,JSON.stringify(shown));}
      return;
    }
    var saved=null; try{saved=JSON.parse(store.getItem(key)||'null');}catch(e){}
    if(!saved||!saved.length){return;}
    var here=saved.some(function(e){return visible(f,e[0]);});
    var start=f.querySelector('button[value=start]');
    if(!here&&!start){return;}
    var now={}; shown.forEach(function(e){(now[e[0]]=now[e[0]]||[]).push(e[1]);});
    var lost=saved.some(function(e){return e[1]!==''&&visible(f,e[0])&&(now[e[0]]||[]).indexOf(e[1])<0;});
    if(here&&!lost){return;}
    offered[key]=true;
    var offer=document.createElement('div'); offer.className='notice info draft'; offer.setAttribute('role','status');
    var p=document.createElement('p'); p.textContent=f.getAttribute('data-draft-offer');
    var btn=document.createElement('button'); btn.type='button'; btn.className='btn link'; btn.textContent=f.getAttribute('data-draft-restore');
    offer.appendChild(p); offer.appendChild(btn); f.parentNode.insertBefore(offer,f);
    btn.addEventListener('click',function(){
      if(here){
        saved.forEach(function(e){
          var el=f.elements.namedItem(e[0]); if(!el||el.type==='hidden'){return;}
          if(!el.tagName){[].forEach.call(el,function(r){r.checked=r.value===e[1];});}
          else if(el.type==='checkbox'||el.type==='radio'){el.checked=el.value===e[1];}
          else{el.value=e[1];}
        });
        offer.remove(); f.dispatchEvent(new Event('change'));
        var first=f.querySelector('input:not([type=hidden]),select'); if(first){first.focus();}
        return;
      }
      var g=document.createElement('form'); g.method='post'; g.action=f.getAttribute('action'); g.hidden=true;
      var add=function(k,v){var i=document.createElement('input');i.type='hidden';i.name=k;i.value=v;g.appendChild(i);};
      add('csrf',f.elements.namedItem('csrf').value); saved.forEach(function(e){add(e[0],e[1]);}); add('intent','edit');
      document.body.appendChild(g); g.submit();
    });
  });}
  var other=document.querySelector('input[name=choice][value=someone-else]');
  var box=document.getElementById('handoff-email-box');
  if(other&&box){
    var sync=function(){box.hidden=!other.checked;};
    document.querySelectorAll('input[name=choice]').forEach(function(r){r.addEventListener('change',sync);});
    sync();
  }
})();
`;

/** The pages' icon: also answered at /favicon.ico, so no browser logs a 404 for it. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#005e7d"/>' +
  '<path d="M7 10l3.2 12h1.6L16 13l4.2 9h1.6L25 10" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>';
const FAVICON_HREF = `data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}`;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** The Content-Security-Policy: nothing but the pages' own inline style and script, by hash. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  styleSrc: [sha256(CSS)],
  scriptSrc: [sha256(SCRIPT)],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};
const CSP = Object.entries(CSP_DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/**
 * The headers on every answer of the setup pages (the app sets them with Hono's secureHeaders,
 * configured from CSP_DIRECTIVES; a rendered page carries them itself as well).
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  // Setup addresses carry the link id: never send them to another site as a referrer. Not
  // no-referrer: with it browsers send `Origin: null` on the pages' own form posts, which the
  // cross-site check must refuse (security.ts foreignPost).
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function withLang(path: string, lang: Language): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

function progressList(ctx: PageContext): SafeHtml {
  if (!ctx.progress || ctx.progress.length === 0) return markup``;
  const { t } = ctx;
  return markup`<ol class="progress" aria-label="${t('progress.label')}">
    ${ctx.progress.map(
      (s) =>
        markup`<li class="${s.state}" ${s.state === 'current' ? raw(' aria-current="step"') : ''}>
          ${t(s.key)}${
            s.state === 'todo'
              ? ''
              : markup`<span class="vh">
                  (${t(s.state === 'done' ? 'progress.completed' : 'progress.current')})</span
                >`
          }
        </li>`,
    )}
  </ol>`;
}

export function renderPage(ctx: PageContext, options: PageOptions): WebResponse {
  const { t, lang } = ctx;
  const title = `${options.title} – ${t('app.title')}`;
  const page = markup`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="same-origin" />
        ${options.refresh ? markup`<meta http-equiv="refresh" content="${options.refresh.seconds};url=${options.refresh.url}" />` : ''}
        <title>${title}</title>
        <link rel="icon" type="image/svg+xml" href="${FAVICON_HREF}" />
        <style>${raw(CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">${t('app.skip')}</a>
        <header class="top">
          <div class="bar">
            <div>
              <div class="brand">${t('app.title')}</div>
              ${ctx.orderId ? markup`<div class="order-id">${t('app.order', { orderId: ctx.orderId })}</div>` : ''}
            </div>
            <nav class="lang" aria-label="${t('app.language')}">
              <ul>
                ${LANGUAGES.map(
                  (l) =>
                    markup`<li>
                      <a
                        href="${withLang(ctx.selfPath, l)}"
                        lang="${l}"
                        hreflang="${l}"
                        ${l === lang ? raw(' aria-current="true"') : ''}
                        >${t(`lang.${l}`)}</a
                      >
                    </li>`,
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabindex="-1">
          ${progressList(ctx)}
          <div class="card">${options.body}</div>
        </main>
        <footer><p>${t('app.footer')}</p></footer>
        <script>${raw(SCRIPT)}</script>
      </body>
    </html>
`;
  return {
    status: options.status ?? 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-language': lang, ...SECURITY_HEADERS },
    body: page.value,
  };
}
