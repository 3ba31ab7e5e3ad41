// Browser tests for the Neuvo chat widget.
//
//   node tests/browser/run.mjs            (BASE_URL defaults to http://127.0.0.1:8080)
//
// Runs headless Chromium (/usr/bin/chromium) through playwright-core against
// a running stack (nginx serving web/ and /api/). Prints one line per test,
// then "browser: N passed, N failed"; exits 1 if any test failed.
// Only node built-ins, playwright-core and axe-core are used.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const PAGE = BASE + '/';
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const SHOTS = path.resolve(HERE, '../../docs/screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TEST_TIMEOUT = Number(process.env.TEST_TIMEOUT_MS || 45000);
const ONLY = process.env.ONLY ? new RegExp(process.env.ONLY) : null;

const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 360, height: 740 };
const RX_KANTA = /kanta\.fi/;

let browser;
const cspViolations = [];
const pageErrors = [];

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

function assert(cond, msg) { if (!cond) throw new Error(msg); }

async function newPage({ viewport = DESKTOP, bypassCSP = false, isMobile = false, hasTouch = false, reducedMotion = 'reduce' } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP, isMobile, hasTouch, reducedMotion, locale: 'fi-FI' });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    }, true);
  });
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (load|apply|execute|connect|frame)/i.test(text)) {
      cspViolations.push(`${page.url()}: ${text}`);
    }
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return { context, page };
}

async function collectCsp(page) {
  try {
    const v = await page.evaluate(() => window.__cspViolations || []);
    for (const x of v) cspViolations.push(`${page.url()}: ${x}`);
  } catch { /* page closed */ }
}

async function openDemo(opts) {
  const { context, page } = await newPage(opts);
  await page.goto(PAGE, { waitUntil: 'load' });
  await page.locator('.nv-launcher').waitFor({ state: 'visible', timeout: 10000 });
  return { context, page };
}

async function done(context, page) {
  if (page) await collectCsp(page);
  await context.close();
}

/* Is the focused element (inside the widget's shadow root) matching sel? */
async function widgetFocus(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a.id !== 'neuvo-chat' || !a.shadowRoot) return null;
    const f = a.shadowRoot.activeElement;
    return f ? { tag: f.tagName.toLowerCase(), id: f.id, cls: f.className && String(f.className) } : null;
  });
}

async function openPanel(page) {
  await page.locator('.nv-launcher').click();
  await page.locator('#nv-panel').waitFor({ state: 'visible' });
  await page.locator('#nv-input').waitFor({ state: 'visible' });
}

/* Type a message and send it with Enter; returns the parsed /api/chat reply. */
async function ask(page, text) {
  const before = await page.locator('.nv-msg.nv-bot:not(.nv-typing)').count();
  await page.locator('#nv-input').fill(text);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/chat') && r.request().method() === 'POST'),
    page.locator('#nv-input').press('Enter'),
  ]);
  const body = await resp.json().catch(() => null);
  await page.waitForFunction((n) => {
    const root = document.getElementById('neuvo-chat').shadowRoot;
    return root.querySelectorAll('.nv-msg.nv-bot:not(.nv-typing)').length > n;
  }, before);
  return { status: resp.status(), body };
}

async function storedState(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('neuvo.widget.v1') || 'null'));
}

async function runAxe(page, label) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s) e.g. ${JSON.stringify(v.nodes[0].target)} ${v.nodes[0].failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`);
  });
  assert(result.length === 0, `${label}: axe violations: ${result.join(' | ')}`);
}

/* ------------------------------------------------------------------ */
/* tests                                                               */
/* ------------------------------------------------------------------ */

const tests = [];
function test(name, fn) { tests.push({ name, fn }); }

test('demo page: region header, bilingual text, one widget tag, launcher', async () => {
  const { context, page } = await openDemo();
  try {
    assert((await page.getAttribute('html', 'lang')) === 'fi', 'html lang is not fi');
    const header = await page.locator('header').innerText();
    assert(/Pohjanmaan hyvinvointialue/.test(header) && /Österbottens välfärdsområde/.test(header), 'header lacks region names');
    const main = await page.locator('main').innerText();
    assert(/06 218 9000/.test(main) && /116 117/.test(main) && /112/.test(main), 'service text lacks phone numbers');
    assert(await page.locator('main [lang="sv"]').count() > 0, 'no Swedish section with lang="sv"');
    assert(await page.locator('script[src$="widget.js"]').count() === 1, 'widget not embedded by one script tag');
    assert(await page.locator('[style]').count() === 0, 'page has style="" attributes');
    assert(await page.locator('script:not([src])').count() === 0, 'page has inline scripts');
    const shadowStyled = await page.evaluate(() => {
      const root = document.getElementById('neuvo-chat').shadowRoot;
      return !!root.querySelector('link[rel="stylesheet"][href$="widget.css"]') && !root.querySelector('[style]');
    });
    assert(shadowStyled, 'widget.css not linked into the shadow root, or style attributes inside it');
    const name = await page.locator('.nv-launcher').innerText();
    assert(/Kysy/.test(name), `launcher text is "${name}"`);
    assert((await page.locator('.nv-launcher').getAttribute('aria-expanded')) === 'false', 'launcher aria-expanded');
    assert(!(await page.locator('#nv-panel').isVisible()), 'panel visible before opening');
    const cookies = await context.cookies();
    assert(cookies.length === 0, `cookies were set: ${cookies.map((c) => c.name)}`);
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('keyboard chat: Tab to launcher, Enter, type, Enter -> answer with OmaKanta link', async () => {
  const { context, page } = await openDemo();
  try {
    let onLauncher = false;
    for (let i = 0; i < 40 && !onLauncher; i++) {
      await page.keyboard.press('Tab');
      const f = await widgetFocus(page);
      onLauncher = !!(f && /nv-launcher/.test(f.cls));
    }
    assert(onLauncher, 'Tab never reached the launcher');
    await page.keyboard.press('Enter');
    await page.locator('#nv-panel').waitFor({ state: 'visible' });
    const f = await widgetFocus(page);
    assert(f && f.id === 'nv-input', `focus after opening is ${JSON.stringify(f)}, not the input`);
    const panel = page.locator('#nv-panel');
    assert((await panel.getAttribute('role')) === 'dialog', 'panel is not role=dialog');
    assert(/Neuvo/.test(await panel.getAttribute('aria-label') || ''), 'dialog has no aria-label');
    assert(/Hei, kuinka voin auttaa\?/.test(await page.locator('.nv-greeting').innerText()), 'greeting motto missing');

    await page.keyboard.type('Miten uusin reseptin?');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/chat')),
      page.keyboard.press('Enter'),
    ]);
    const req = resp.request().postDataJSON();
    assert(req.message === 'Miten uusin reseptin?' && req.lang === 'fi' && /^[A-Za-z0-9_-]{8,64}$/.test(req.session), `bad request ${JSON.stringify(req)}`);
    assert(resp.status() === 200, `/api/chat answered ${resp.status()}`);
    const body = await resp.json();
    assert(body.kind === 'answer', `kind is ${body.kind}`);
    const link = page.locator('.nv-msg.nv-bot .nv-links a[href*="kanta.fi"]').first();
    await link.waitFor({ state: 'visible' });
    assert((await link.getAttribute('target')) === '_blank', 'link target is not _blank');
    assert(/noopener/.test(await link.getAttribute('rel') || ''), 'link rel lacks noopener');
    // the user's own message and the answer are both in the log; text is rendered as paragraphs
    assert(await page.locator('.nv-msg.nv-user').count() === 1, 'user message not shown');
    const paraCount = await page.locator('.nv-msg.nv-bot .nv-bubble > p').count();
    const expected = body.text.split(/\n\s*\n/).filter((p) => p.trim()).length;
    assert(paraCount === expected, `answer rendered as ${paraCount} paragraphs, expected ${expected}`);
    // the live region carries only the newest message, the log itself is not live
    const live = await page.evaluate(() => {
      const root = document.getElementById('neuvo-chat').shadowRoot;
      const regions = [...root.querySelectorAll('[aria-live]')];
      return { n: regions.length, text: regions.map((r) => r.textContent).join(''), logLive: root.querySelector('.nv-log').getAttribute('aria-live'), logRole: root.querySelector('.nv-log').getAttribute('role') };
    });
    assert(live.logLive === null && live.logRole !== 'log', 'the whole log is a live region');
    await page.waitForFunction(() => {
      const r = document.getElementById('neuvo-chat').shadowRoot.querySelector('[aria-live="polite"]');
      return r && r.textContent.length > 10;
    });
    // focus stays in the input for the next question
    const f2 = await widgetFocus(page);
    assert(f2 && f2.id === 'nv-input', 'focus left the input after sending');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('quick replies: start-menu topic and clarify suggestion give answers', async () => {
  const { context, page } = await openDemo();
  try {
    const [topicsResp] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/topics')),
      openPanel(page),
    ]);
    assert(topicsResp.status() === 200, `/api/topics answered ${topicsResp.status()}`);
    assert(/lang=fi/.test(topicsResp.url()), 'topics not requested in Finnish');
    const topics = (await topicsResp.json()).topics || [];
    assert(topics.length > 0, 'no topics from /api/topics');
    const chip = page.locator('.nv-topics .nv-chip').first();
    await chip.waitFor({ state: 'visible' });
    const title = (await chip.innerText()).trim();
    const [r1] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/chat')),
      chip.click(),
    ]);
    const req1 = r1.request().postDataJSON();
    assert(req1.answer_id !== undefined || req1.message === title, `topic click sent ${JSON.stringify(req1)}`);
    assert(r1.status() === 200, `topic answer status ${r1.status()}`);
    await page.locator('.nv-msg.nv-bot').first().waitFor();
    assert((await page.locator('.nv-msg.nv-user').first().innerText()).includes(title), 'topic title not shown as the user message');

    // a vague message; if the bot asks to clarify, click one of its quick replies
    const vague = await ask(page, 'aika');
    assert(vague.status === 200, `vague message status ${vague.status}`);
    let sug = page.locator('.nv-msg.nv-bot').last().locator('.nv-suggestions .nv-chip');
    if ((await sug.count()) === 0) {
      // no suggestions on this reply: fall back to any suggestion shown so far
      sug = page.locator('.nv-suggestions .nv-chip');
    }
    if ((await sug.count()) > 0) {
      const bots = await page.locator('.nv-msg.nv-bot').count();
      const [r2] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/chat')),
        sug.first().click(),
      ]);
      const req2 = r2.request().postDataJSON();
      assert(req2.answer_id !== undefined && req2.lang === 'fi' && req2.session === req1.session, `suggestion click sent ${JSON.stringify(req2)}`);
      assert(r2.status() === 200, `suggestion answer status ${r2.status()}`);
      await page.waitForFunction((n) => document.getElementById('neuvo-chat').shadowRoot.querySelectorAll('.nv-msg.nv-bot').length > n, bots);
      const f = await widgetFocus(page);
      assert(f && f.id === 'nv-input', 'focus not back in the input after a quick reply');
      assert(await page.locator('.nv-suggestions').count() <= 1, 'old suggestions still shown after one was used');
    } else {
      assert(vague.body && vague.body.kind, 'vague message got no reply');
    }
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('thumbs down on a reply posts /api/feedback (201) and thanks', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    const r = await ask(page, 'Miten uusin reseptin?');
    assert(r.body && r.body.turn_id, 'reply has no turn_id');
    const down = page.locator('.nv-msg.nv-bot').last().locator('.nv-thumb-down');
    assert(/ei/i.test(await down.getAttribute('aria-label') || ''), 'thumbs down has no label');
    const [fb] = await Promise.all([
      page.waitForResponse((x) => x.url().includes('/api/feedback')),
      down.click(),
    ]);
    const req = fb.request().postDataJSON();
    assert(req.turn_id === r.body.turn_id && req.helpful === false, `bad thumbs body ${JSON.stringify(req)}`);
    assert(fb.status() === 201, `/api/feedback answered ${fb.status()}`);
    await page.locator('.nv-msg.nv-bot').last().locator('.nv-rate-thanks').waitFor();
    assert(await page.locator('.nv-msg.nv-bot').last().locator('.nv-thumb').count() === 0, 'thumbs still shown after rating');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('feedback form: validation, rating + comment -> confirmation', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    await page.locator('.nv-open-feedback').click();
    await page.locator('.nv-fb-form').waitFor();
    const f = await widgetFocus(page);
    assert(f && f.id === 'nv-fb-title', 'focus did not move to the feedback form heading');
    // empty submit -> validation message, nothing posted
    let posted = false;
    page.on('request', (q) => { if (q.url().includes('/api/feedback')) posted = true; });
    await page.locator('.nv-fb-form .nv-primary').click();
    const err = page.locator('.nv-fb-error');
    await err.waitFor({ state: 'visible' });
    assert(/arvio|kommentti/i.test(await err.innerText()), 'validation message text');
    assert(!posted, 'empty feedback was posted');
    // rating via its label, comment with counter
    await page.locator('label[for="nv-rating-4"]').click();
    assert(await page.locator('#nv-rating-4').isChecked(), 'rating 4 not checked');
    await page.locator('#nv-comment').fill('Selkeä ja nopea vastaus.');
    assert(/24 \/ 2000/.test(await page.locator('#nv-comment-count').innerText()), 'counter does not show 24 / 2000');
    assert((await page.locator('#nv-comment').getAttribute('maxlength')) === '2000', 'no maxlength 2000');
    const [resp] = await Promise.all([
      page.waitForResponse((x) => x.url().includes('/api/feedback')),
      page.locator('.nv-fb-form .nv-primary').click(),
    ]);
    const body = resp.request().postDataJSON();
    assert(body.rating === 4 && body.comment === 'Selkeä ja nopea vastaus.' && body.lang === 'fi' && body.page === '/' && /^[A-Za-z0-9_-]+$/.test(body.session), `bad feedback body ${JSON.stringify(body)}`);
    assert(resp.status() === 201, `/api/feedback answered ${resp.status()}`);
    await page.locator('.nv-fb-done').waitFor();
    assert(/Kiitos/.test(await page.locator('.nv-fb-done').innerText()), 'no confirmation');
    const st = await storedState(page);
    assert(!st.fbPending && !st.fbDraft.comment, 'draft/pending not cleared after success');
    await page.locator('.nv-fb-back').click();
    await page.locator('#nv-input').waitFor({ state: 'visible' });
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('feedback form offline: kept in sessionStorage, survives reload, sent when back online', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    await page.locator('.nv-open-feedback').click();
    await page.locator('label[for="nv-rating-2"]').click();
    await page.locator('#nv-comment').fill('Yhteys katkesi');
    await context.setOffline(true);
    await page.locator('.nv-fb-form .nv-primary').click();
    await page.locator('.nv-fb-failed').waitFor();
    assert(await page.locator('.nv-fb-retry').isVisible(), 'no retry button');
    let st = await storedState(page);
    assert(st.fbPending && st.fbPending.rating === 2 && st.fbPending.comment === 'Yhteys katkesi', 'pending feedback not stored');
    // what was typed is still in the form
    assert((await page.locator('#nv-comment').inputValue()) === 'Yhteys katkesi', 'comment lost from the form');
    // reload while it is still pending (the API still unreachable): the form comes back with the text
    await page.route('**/api/feedback', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    await page.locator('.nv-fb-form').waitFor();
    assert((await page.locator('#nv-comment').inputValue()) === 'Yhteys katkesi', 'comment lost after reload');
    assert(await page.locator('#nv-rating-2').isChecked(), 'rating lost after reload');
    await page.locator('.nv-fb-failed').waitFor();
    await page.unroute('**/api/feedback');
    // back online -> sent automatically
    await context.setOffline(true);
    const wait = page.waitForResponse((x) => x.url().includes('/api/feedback'));
    await context.setOffline(false);
    const resp = await wait;
    assert(resp.status() === 201, `retry answered ${resp.status()}`);
    await page.locator('.nv-fb-done').waitFor();
    st = await storedState(page);
    assert(!st.fbPending, 'pending feedback not cleared after automatic retry');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('keyboard: Esc closes the panel and focus returns to the launcher', async () => {
  const { context, page } = await openDemo();
  try {
    await page.locator('.nv-launcher').focus();
    await page.keyboard.press('Enter');
    await page.locator('#nv-panel').waitFor({ state: 'visible' });
    assert((await page.locator('.nv-launcher').getAttribute('aria-expanded')) === 'true', 'aria-expanded not true');
    // Tab through the panel: every stop must be a labelled, visible control with a focus style
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const root = document.getElementById('neuvo-chat').shadowRoot;
        const el = root.activeElement;
        if (!el) return null;
        const cs = getComputedStyle(el);
        return { tag: el.tagName, outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, shadow: cs.boxShadow !== 'none' };
      });
      if (!info) break; // left the widget (desktop panel is not modal)
      assert(info.outline || info.shadow || info.tag === 'INPUT', `no visible focus indicator on ${info.tag}`);
    }
    await page.locator('#nv-input').focus();
    await page.keyboard.press('Escape');
    await page.locator('#nv-panel').waitFor({ state: 'hidden' });
    const f = await widgetFocus(page);
    assert(f && /nv-launcher/.test(f.cls), `focus after Esc is ${JSON.stringify(f)}`);
    assert((await page.locator('.nv-launcher').getAttribute('aria-expanded')) === 'false', 'aria-expanded not false');
    // Shift+Enter makes a new line instead of sending
    await page.keyboard.press('Enter');
    await page.locator('#nv-input').waitFor({ state: 'visible' });
    await page.keyboard.type('rivi 1');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('rivi 2');
    assert((await page.locator('#nv-input').inputValue()) === 'rivi 1\nrivi 2', 'Shift+Enter did not add a newline');
    assert(await page.locator('.nv-msg.nv-user').count() === 0, 'Shift+Enter sent the message');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('mobile 360x740: panel fills the screen, input visible', async () => {
  const { context, page } = await openDemo({ viewport: MOBILE, isMobile: true, hasTouch: true });
  try {
    await openPanel(page);
    const box = await page.locator('#nv-panel').boundingBox();
    assert(box && Math.abs(box.x) < 1 && Math.abs(box.y) < 1 && Math.abs(box.width - 360) < 1 && Math.abs(box.height - 740) < 2, `panel box ${JSON.stringify(box)}`);
    await ask(page, 'Miten uusin reseptin?');
    const ib = await page.locator('#nv-input').boundingBox();
    assert(ib && ib.y >= 0 && ib.y + ib.height <= 740 && ib.x >= 0 && ib.x + ib.width <= 360, `input outside viewport ${JSON.stringify(ib)}`);
    const sb = await page.locator('.nv-send').boundingBox();
    assert(sb && sb.x + sb.width <= 360, 'send button off screen');
    const overflow = await page.evaluate(() => {
      const root = document.getElementById('neuvo-chat').shadowRoot;
      const p = root.getElementById('nv-panel');
      return p.scrollWidth - p.clientWidth;
    });
    assert(overflow <= 0, `panel scrolls horizontally by ${overflow}px`);
    // the launcher is covered/hidden; closing brings it back
    await page.locator('.nv-close').click();
    await page.locator('.nv-launcher').waitFor({ state: 'visible' });
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('200% zoom (640x400 CSS px): panel usable, input visible', async () => {
  const { context, page } = await openDemo({ viewport: { width: 640, height: 400 } });
  try {
    await openPanel(page);
    await ask(page, 'Miten uusin reseptin?');
    const ib = await page.locator('#nv-input').boundingBox();
    assert(ib && ib.y + ib.height <= 400, `input below the fold ${JSON.stringify(ib)}`);
    const hb = await page.locator('.nv-close').boundingBox();
    assert(hb && hb.y >= 0, 'close button off screen');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('reload keeps the conversation, language and open state (sessionStorage, no cookies)', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    await ask(page, 'Miten uusin reseptin?');
    const before = await storedState(page);
    const users = await page.locator('.nv-msg.nv-user').count();
    const bots = await page.locator('.nv-msg.nv-bot').count();
    await page.reload();
    await page.locator('#nv-panel').waitFor({ state: 'visible' });
    assert(await page.locator('.nv-msg.nv-user').count() === users, 'user messages lost on reload');
    assert(await page.locator('.nv-msg.nv-bot').count() === bots, 'bot messages lost on reload');
    assert(await page.locator('.nv-links a[href*="kanta.fi"]').count() > 0, 'links lost on reload');
    const after = await storedState(page);
    assert(after.session === before.session, 'session id changed on reload');
    assert((await context.cookies()).length === 0, 'cookies were set');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('"New conversation" clears the log and makes a new session id', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    await ask(page, 'Miten uusin reseptin?');
    const before = await storedState(page);
    await page.locator('.nv-new').click();
    assert(await page.locator('.nv-msg').count() === 0, 'messages remain after new conversation');
    const after = await storedState(page);
    assert(after.messages.length === 0, 'stored messages remain');
    assert(after.session !== before.session && /^[A-Za-z0-9_-]{8,64}$/.test(after.session), 'session id not renewed');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/chat')),
      (async () => { await page.locator('#nv-input').fill('hei'); await page.locator('#nv-input').press('Enter'); })(),
    ]);
    assert(resp.request().postDataJSON().session === after.session, 'new session id not used');
    await page.reload();
    await page.locator('#nv-panel').waitFor({ state: 'visible' });
    assert(await page.locator('.nv-msg.nv-user').count() === 1, 'reload after new conversation shows old messages');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('language switch: sv greeting, topics and chat in Swedish', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    const [tr] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/topics') && /lang=sv/.test(r.url())),
      page.locator('#nv-lang').selectOption('sv'),
    ]);
    assert(tr.status() === 200, 'topics sv failed');
    await page.waitForFunction(() => /Hej, hur kan jag hjälpa dig\?/.test(document.getElementById('neuvo-chat').shadowRoot.querySelector('.nv-greeting').textContent));
    assert(/Dataskydd/.test(await page.locator('.nv-privacy summary').innerText()), 'privacy title not Swedish');
    assert((await page.locator('.nv-root').getAttribute('lang')) === 'sv', 'widget lang attribute not sv');
    assert((await page.locator('#nv-panel').getAttribute('aria-label')).includes('Österbottens'), 'dialog label not Swedish');
    const r = await ask(page, 'Hur förnyar jag mitt recept?');
    assert(r.status === 200, 'chat failed');
    const [req] = await Promise.all([
      page.waitForRequest((q) => q.url().includes('/api/chat')),
      (async () => { await page.locator('#nv-input').fill('tack'); await page.locator('#nv-input').press('Enter'); })(),
    ]);
    assert(req.postDataJSON().lang === 'sv', 'chat not sent with lang sv');
    await page.locator('#nv-lang').selectOption('en');
    await page.waitForFunction(() => /Hello, how can I help you\?/.test(document.getElementById('neuvo-chat').shadowRoot.querySelector('.nv-greeting').textContent));
    await page.reload();
    await page.locator('#nv-panel').waitFor({ state: 'visible' });
    assert((await page.locator('#nv-lang').inputValue()) === 'en', 'language not kept over reload');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('privacy notice and disclaimer are shown', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    const disc = await page.locator('.nv-disclaimer').innerText();
    assert(/112/.test(disc) && /lääkinnällinen/.test(disc) && /henkilötunnus/.test(disc), `disclaimer: ${disc}`);
    await page.locator('.nv-privacy summary').click();
    const priv = await page.locator('.nv-privacy').innerText();
    assert(/90 päivää/.test(priv) && /evästeitä/.test(priv) && /sisältötiimi/.test(priv), `privacy: ${priv}`);
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('emergency reply is distinct with a tel:112 call link', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    const r = await ask(page, 'Minulla on kova rintakipu ja hengenahdistus');
    assert(r.body && r.body.kind === 'emergency', `kind is ${r.body && r.body.kind}`);
    const msg = page.locator('.nv-msg.nv-kind-emergency').last();
    await msg.waitFor();
    assert(await msg.locator('a.nv-call[href="tel:112"]').count() === 1, 'no prominent tel:112 call link');
    assert(await msg.locator('a.nv-call[href="tel:112"]').isVisible(), 'call link not visible');
    assert(await msg.locator('.nv-emergency-title svg').count() === 1, 'no icon');
    const border = await msg.locator('.nv-bubble').evaluate((el) => getComputedStyle(el).borderTopColor);
    assert(border === 'rgb(179, 38, 30)', `border colour ${border}`);
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('errors: offline, 503 (object and string text), 429, then retry works', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    // network failure
    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await page.locator('#nv-input').fill('Miten uusin reseptin?');
    await page.locator('#nv-input').press('Enter');
    const err = page.locator('.nv-error').last();
    await err.waitFor();
    assert(/Yhteys ei nyt toimi/.test(await err.innerText()), `offline text: ${await err.innerText()}`);
    await page.unroute('**/api/chat');
    // 503 with a fi/sv/en object
    const t503 = { fi: 'Palvelu on tilapäisesti poissa käytöstä. Soita 06 218 9000.', sv: 'Tjänsten är tillfälligt ur bruk. Ring 06 218 9000.', en: 'The service is temporarily unavailable. Call 06 218 9000.' };
    await page.route('**/api/chat', (route) => route.fulfill({ status: 503, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code: 'unavailable', message: 'database unavailable' }, text: t503 }) }));
    await page.locator('.nv-retry').click();
    await page.waitForFunction((txt) => [...document.getElementById('neuvo-chat').shadowRoot.querySelectorAll('.nv-error')].some((e) => e.textContent.includes(txt)), t503.fi);
    await page.unroute('**/api/chat');
    // 503 with a plain string
    await page.route('**/api/chat', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'x' }, text: 'Merkkijono 06 218 9000' }) }));
    await page.locator('.nv-retry').click();
    await page.waitForFunction(() => [...document.getElementById('neuvo-chat').shadowRoot.querySelectorAll('.nv-error')].some((e) => e.textContent.includes('Merkkijono 06 218 9000')));
    await page.unroute('**/api/chat');
    // 429
    await page.route('**/api/chat', (route) => route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }) }));
    await page.locator('.nv-retry').click();
    await page.waitForFunction(() => [...document.getElementById('neuvo-chat').shadowRoot.querySelectorAll('.nv-error')].some((e) => /Liian monta viestiä/.test(e.textContent)));
    await page.unroute('**/api/chat');
    // retry against the real service gives the answer, only one user bubble
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/chat')),
      page.locator('.nv-retry').click(),
    ]);
    assert(resp.status() === 200, `retry status ${resp.status()}`);
    await page.locator('.nv-links a[href*="kanta.fi"]').first().waitFor();
    assert(await page.locator('.nv-msg.nv-user').count() === 1, 'retry duplicated the user message');
    assert(await page.locator('.nv-error').count() === 0, 'error bubble left after a successful retry');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('503 with "text" string and "texts" object: the UI language wins (sv)', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    await page.locator('#nv-lang').selectOption('sv');
    const texts = { fi: 'Neuvo ei juuri nyt toimi. Soita 06 218 9000.', sv: 'Neuvo fungerar inte just nu. Ring 06 218 9000.', en: 'Neuvo is not working right now. Call 06 218 9000.' };
    await page.route('**/api/chat', (route) => route.fulfill({ status: 503, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code: 'unavailable', message: 'the service is temporarily unavailable' }, lang: 'fi', text: texts.fi, texts }) }));
    await page.locator('#nv-input').fill('Hur förnyar jag mitt recept?');
    await page.locator('#nv-input').press('Enter');
    await page.locator('.nv-error').waitFor();
    const txt = await page.locator('.nv-error').innerText();
    assert(txt.includes('Neuvo fungerar inte just nu'), `503 text shown: ${txt}`);
    assert(/Försök igen/.test(txt), 'retry button not in Swedish');
    await page.unroute('**/api/chat');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

test('server text is rendered as text, never as HTML', async () => {
  const { context, page } = await openDemo();
  try {
    await openPanel(page);
    await ask(page, '<img src=x onerror=alert(1)><b>lihavoitu</b>');
    const html = await page.evaluate(() => document.getElementById('neuvo-chat').shadowRoot.querySelector('.nv-log').innerHTML);
    assert(!/<img src="?x/i.test(html) && !/<b>lihavoitu/i.test(html), 'message inserted as HTML');
    assert(/&lt;b&gt;lihavoitu/.test(html), 'message text not escaped');
    await done(context, page);
  } catch (e) { await context.close(); throw e; }
});

async function axeScenario(viewport, label, isMobile) {
  const { context, page } = await openDemo({ viewport, bypassCSP: true, isMobile, hasTouch: isMobile });
  try {
    await runAxe(page, `${label} closed`);
    await openPanel(page);
    await page.locator('.nv-topics .nv-chip').first().waitFor({ timeout: 5000 }).catch(() => {});
    await page.locator('.nv-privacy summary').click();
    await ask(page, 'Miten uusin reseptin?');
    await ask(page, 'aika');
    await ask(page, 'Minulla on kova rintakipu');
    await runAxe(page, `${label} open with conversation`);
    await page.locator('.nv-open-feedback').click();
    await page.locator('.nv-fb-form .nv-primary').click();
    await page.locator('.nv-fb-error').waitFor({ state: 'visible' });
    await runAxe(page, `${label} feedback form`);
    await context.close();
  } catch (e) { await context.close(); throw e; }
}

test('axe: zero WCAG 2.1 A/AA violations, desktop 1280x800, panel closed and open', async () => {
  await axeScenario(DESKTOP, 'desktop', false);
});

test('axe: zero WCAG 2.1 A/AA violations, mobile 360x740, panel closed and open', async () => {
  await axeScenario(MOBILE, 'mobile', true);
});

test('screenshots: docs/screenshots/widget-desktop.png and widget-mobile.png', async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const [name, viewport, mobile] of [['widget-desktop.png', DESKTOP, false], ['widget-mobile.png', MOBILE, true]]) {
    const { context, page } = await openDemo({ viewport, isMobile: mobile, hasTouch: mobile });
    try {
      await openPanel(page);
      await page.locator('.nv-topics .nv-chip').first().waitFor({ timeout: 5000 }).catch(() => {});
      await ask(page, 'Miten uusin reseptin?');
      await page.locator('.nv-links a[href*="kanta.fi"]').first().waitFor();
      await page.locator('#nv-input').fill('');
      await page.locator('#nv-input').blur();
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, name) });
      assert(fs.statSync(path.join(SHOTS, name)).size > 10000, `${name} looks empty`);
      await done(context, page);
    } catch (e) { await context.close(); throw e; }
  }
});

test('no CSP violations and no page errors in any test above', async () => {
  assert(cspViolations.length === 0, `CSP violations: ${[...new Set(cspViolations)].slice(0, 5).join(' | ')}`);
  assert(pageErrors.length === 0, `page errors: ${[...new Set(pageErrors)].slice(0, 5).join(' | ')}`);
});

/* ------------------------------------------------------------------ */
/* runner                                                              */
/* ------------------------------------------------------------------ */

function withTimeout(p, ms, name) {
  let timer;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms); }),
  ]);
}

async function main() {
  let passed = 0;
  let failed = 0;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    console.log(`not ok - launch chromium: ${e.message.split('\n')[0]}`);
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  }
  for (const t of tests) {
    if (ONLY && !ONLY.test(t.name)) continue;
    try {
      await withTimeout(t.fn(), TEST_TIMEOUT, t.name);
      passed++;
      console.log(`ok - ${t.name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${t.name}: ${String(e && e.message || e).split('\n')[0]}`);
    }
  }
  await browser.close().catch(() => {});
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
