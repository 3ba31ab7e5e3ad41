/*
 * Neuvo — the chat widget of the Wellbeing Services County of Ostrobothnia
 * (Pohjanmaan hyvinvointialue / Österbottens välfärdsområde).
 *
 * Embed with one tag:
 *   <script src="/widget.js" data-lang="fi" defer></script>
 * Optional: data-api="https://api.example" (API base; default: same origin).
 *
 * No dependencies, no build step. Works under a strict CSP
 * (script-src 'self'; style-src 'self'): no inline scripts or styles, all
 * server text is inserted with textContent, styles live in widget.css which
 * is loaded into a shadow root. The conversation is kept in sessionStorage
 * (no cookies). UI strings come from i18n.js (window.NeuvoI18n).
 */
(function () {
  'use strict';

  if (window.__neuvoWidgetLoaded) return;
  window.__neuvoWidgetLoaded = true;

  var script = document.currentScript ||
    document.querySelector('script[src$="widget.js"], script[src*="widget.js?"]');
  var scriptUrl = new URL((script && script.src) || 'widget.js', location.href);
  var dataset = (script && script.dataset) || {};
  var apiBase = (dataset.api || '').replace(/\/+$/, '');

  var STORE_KEY = 'neuvo.widget.v1';
  var MAX_MESSAGE = 1000;
  var MAX_COMMENT = 2000;
  var MAX_KEPT_MESSAGES = 120;
  var REQUEST_TIMEOUT_MS = 20000;
  var SESSION_RE = /^[A-Za-z0-9_-]{1,64}$/;

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  var store = {
    get: function (key) {
      try { return JSON.parse(window.sessionStorage.getItem(key)); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode, quota */ }
    }
  };

  function newSessionId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* not a secure context */ }
    }
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) {
      c.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? '0' : '') + b.toString(16);
    }).join('');
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  /* Build an element. attrs: class, text, on<event>, anything else as attribute. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return el;
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var ICONS = {
    chat: ['M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', 'M7 9h10', 'M7 13h6'],
    close: ['M6 6l12 12', 'M18 6L6 18'],
    send: ['M3.5 11.5L21 3l-6.5 18-3.2-7.3z', 'M11.3 13.7L21 3'],
    thumb: ['M7 10v11H3V10z', 'M7 10l4-7.5c1.4 0 2.6 1.2 2.4 2.6L13 9h6a2 2 0 0 1 2 2.3l-1.3 7.5A2.5 2.5 0 0 1 17.2 21H7'],
    alert: ['M12 3L2 21h20z', 'M12 10v5', 'M12 18h.01'],
    phone: ['M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z'],
    external: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5'],
    plus: ['M12 5v14', 'M5 12h14'],
    star: ['M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2-5.5-2.9-5.5 2.9 1-6.2L3 9.6l6.2-.9z'],
    shield: ['M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z'],
    info: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 11v6', 'M12 7h.01'],
    check: ['M4 12.5l5 5L20 6.5'],
    back: ['M15 5l-7 7 7 7']
  };

  function icon(name, extraClass) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'nv-icon' + (extraClass ? ' ' + extraClass : ''));
    (ICONS[name] || []).forEach(function (d) {
      var p = document.createElementNS(SVG_NS, 'path');
      p.setAttribute('d', d);
      svg.appendChild(p);
    });
    return svg;
  }

  function safeUrl(url) {
    try {
      var u = new URL(String(url), location.href);
      return /^(https?|tel|mailto):$/.test(u.protocol) ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /* Finnish phone numbers in reply text become tap-to-call links:
     06 218 9000, 040 123 4567, 116 117, 112 (not 112.fi). */
  var PHONE_RE = /(^|[^\d+])((?:\+358[ -]?\d{1,2}|0\d{1,2})[ -]?\d{3}[ -]?\d{3,4}|116 ?117|112)(?![\d]|[.,]\d|\.[A-Za-z])/g;

  function textWithPhones(text) {
    var frag = document.createDocumentFragment();
    var last = 0;
    String(text).replace(PHONE_RE, function (m, pre, num, offset) {
      var start = offset + pre.length;
      if (start > last) frag.append(document.createTextNode(text.slice(last, start)));
      var a = document.createElement('a');
      a.className = 'nv-tel';
      a.href = 'tel:' + num.replace(/[ -]/g, '');
      a.textContent = num.replace(/ /g, '\u00a0');
      frag.append(a);
      last = start + num.length;
      return m;
    });
    if (last < text.length) frag.append(document.createTextNode(text.slice(last)));
    return frag;
  }

  function paragraphs(text) {
    return String(text || '').replace(/\r\n?/g, '\n').split(/\n\s*\n/)
      .map(function (p) { return p.trim(); })
      .filter(Boolean);
  }

  /* POST/GET JSON. Resolves {status, data}; rejects only on network failure/timeout. */
  function api(method, path, body) {
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var opts = {
      method: method,
      headers: { 'Accept': 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      signal: ctrl ? ctrl.signal : undefined
    };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(apiBase + path, opts).then(function (res) {
      return res.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        return { status: res.status, data: data };
      });
    }).finally(function () { if (timer) clearTimeout(timer); });
  }

  function loadI18n() {
    if (window.NeuvoI18n) return Promise.resolve(window.NeuvoI18n);
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = new URL('i18n.js', scriptUrl).href;
      s.async = true;
      s.onload = function () {
        if (window.NeuvoI18n) resolve(window.NeuvoI18n);
        else reject(new Error('i18n.js did not define NeuvoI18n'));
      };
      s.onerror = function () { reject(new Error('could not load i18n.js')); };
      document.head.appendChild(s);
    });
  }

  /* ------------------------------------------------------------------ */
  /* The widget                                                          */
  /* ------------------------------------------------------------------ */

  function start(I18N) {
    var LANGS = I18N.languages || ['fi', 'sv', 'en'];

    function pickLang(candidate) {
      candidate = String(candidate || '').toLowerCase().slice(0, 2);
      return LANGS.indexOf(candidate) >= 0 ? candidate : null;
    }

    /* ---------- state (persisted in sessionStorage) ---------- */
    var saved = store.get(STORE_KEY);
    var state = {
      session: null,
      lang: null,
      open: false,
      view: 'chat',
      messages: [],
      fbDraft: { rating: null, comment: '' },
      fbPending: null
    };
    if (saved && typeof saved === 'object') {
      if (typeof saved.session === 'string' && SESSION_RE.test(saved.session)) state.session = saved.session;
      state.lang = pickLang(saved.lang);
      state.open = !!saved.open;
      state.view = saved.view === 'feedback' ? 'feedback' : 'chat';
      if (Array.isArray(saved.messages)) state.messages = saved.messages.filter(function (m) {
        return m && (m.role === 'user' || m.role === 'bot') && typeof m.text === 'string';
      });
      if (saved.fbDraft && typeof saved.fbDraft === 'object') {
        var r = parseInt(saved.fbDraft.rating, 10);
        state.fbDraft.rating = r >= 1 && r <= 5 ? r : null;
        state.fbDraft.comment = typeof saved.fbDraft.comment === 'string' ? saved.fbDraft.comment.slice(0, MAX_COMMENT) : '';
      }
      if (saved.fbPending && typeof saved.fbPending === 'object') state.fbPending = saved.fbPending;
    }
    if (!state.session) state.session = newSessionId();
    if (!state.lang) {
      state.lang = pickLang(dataset.lang) || pickLang(document.documentElement.lang) || 'fi';
    }

    function save() {
      if (state.messages.length > MAX_KEPT_MESSAGES) {
        state.messages = state.messages.slice(-MAX_KEPT_MESSAGES);
      }
      store.set(STORE_KEY, state);
    }

    function t() { return I18N[state.lang] || I18N.fi; }
    function tFor(lang) { return I18N[pickLang(lang) || state.lang] || t(); }

    var busy = false;
    var topicsCache = {};
    var feedbackDone = false;
    var typingEl = null;
    var uid = 0;
    function nextId(prefix) { uid += 1; return 'nv-' + prefix + '-' + uid; }

    /* ---------- host + shadow root ---------- */
    var host = document.createElement('div');
    host.className = 'neuvo-chat-host';
    host.id = 'neuvo-chat';
    var shadow = host.attachShadow({ mode: 'open' });

    var cssLink = h('link', { rel: 'stylesheet', href: new URL('widget.css', scriptUrl).href });
    var root = h('div', { class: 'nv-root', hidden: true });
    shadow.append(cssLink, root);
    var revealTimer = setTimeout(reveal, 3000);
    function reveal() { clearTimeout(revealTimer); root.hidden = false; }
    cssLink.addEventListener('load', reveal);
    cssLink.addEventListener('error', reveal);

    /* launcher */
    var launcherText = h('span', { class: 'nv-launcher-text' });
    var launcher = h('button', {
      type: 'button', class: 'nv-launcher', 'aria-expanded': 'false', 'aria-controls': 'nv-panel'
    }, icon('chat', 'nv-launcher-icon'), launcherText);

    /* header */
    var titleEl = h('h2', { class: 'nv-title', id: 'nv-title' });
    var subtitleEl = h('p', { class: 'nv-subtitle' });
    var langLabel = h('label', { class: 'nv-vh', for: 'nv-lang' });
    var langSelect = h('select', { id: 'nv-lang', class: 'nv-lang' });
    LANGS.forEach(function (code) {
      langSelect.append(h('option', { value: code, lang: code, text: (I18N[code] || {}).languageName || code }));
    });
    var closeBtn = h('button', { type: 'button', class: 'nv-icon-btn nv-close' }, icon('close'));
    var header = h('div', { class: 'nv-header' },
      h('div', { class: 'nv-brand' },
        h('span', { class: 'nv-logo', 'aria-hidden': 'true' }, icon('chat')),
        h('div', { class: 'nv-brand-text' }, titleEl, subtitleEl)),
      h('div', { class: 'nv-header-actions' }, langLabel, langSelect, closeBtn));

    /* toolbar */
    var newBtnText = h('span');
    var newBtn = h('button', { type: 'button', class: 'nv-tool nv-new' }, icon('plus'), newBtnText);
    var fbBtnText = h('span');
    var fbBtn = h('button', { type: 'button', class: 'nv-tool nv-open-feedback' }, icon('star'), fbBtnText);
    var toolbar = h('div', { class: 'nv-toolbar' }, newBtn, fbBtn);

    /* chat view */
    var log = h('div', { class: 'nv-log', id: 'nv-log', role: 'region', tabindex: '0' });
    var inputLabel = h('label', { class: 'nv-vh', for: 'nv-input' });
    var inputHint = h('span', { class: 'nv-vh', id: 'nv-input-hint' });
    var input = h('textarea', {
      id: 'nv-input', class: 'nv-input', rows: '1', maxlength: String(MAX_MESSAGE),
      autocomplete: 'off', 'aria-describedby': 'nv-input-hint', enterkeyhint: 'send'
    });
    var sendBtn = h('button', { type: 'submit', class: 'nv-send' }, icon('send'));
    var compose = h('form', { class: 'nv-compose', novalidate: true }, inputLabel, inputHint, input, sendBtn);
    var chatView = h('div', { class: 'nv-chat-view' }, log, compose);

    /* feedback view (content built by renderFeedback) */
    var fbView = h('section', { class: 'nv-fb-view', 'aria-labelledby': 'nv-fb-title', hidden: true });

    var live = h('div', { class: 'nv-vh', 'aria-live': 'polite', 'aria-atomic': 'true' });

    var panel = h('div', {
      class: 'nv-panel', id: 'nv-panel', role: 'dialog', 'aria-modal': 'false', hidden: true
    }, header, toolbar, chatView, fbView);

    root.append(panel, launcher, live);

    /* ---------- static texts ---------- */
    function applyStaticTexts() {
      var s = t();
      root.setAttribute('lang', state.lang);
      launcherText.textContent = s.launcher;
      panel.setAttribute('aria-label', s.dialogLabel);
      titleEl.textContent = s.title;
      subtitleEl.textContent = s.subtitle;
      langLabel.textContent = s.language;
      langSelect.value = state.lang;
      closeBtn.setAttribute('aria-label', s.close);
      closeBtn.setAttribute('title', s.close);
      newBtnText.textContent = s.newConversation;
      fbBtnText.textContent = s.openFeedback;
      log.setAttribute('aria-label', s.conversationLabel);
      inputLabel.textContent = s.inputLabel;
      inputHint.textContent = s.inputHint;
      input.setAttribute('placeholder', s.inputPlaceholder);
      sendBtn.setAttribute('aria-label', s.send);
      sendBtn.setAttribute('title', s.send);
    }

    function announce(text) {
      live.textContent = '';
      setTimeout(function () { live.textContent = text; }, 60);
    }

    /* ---------- conversation rendering ---------- */
    var topicsBox = null;

    function greetingEl() {
      var s = t();
      var privacy = h('details', { class: 'nv-privacy' },
        h('summary', {}, icon('shield'), h('span', { text: s.privacyTitle })));
      (s.privacyText || []).forEach(function (p) { privacy.append(h('p', { text: p })); });
      topicsBox = h('div', { class: 'nv-topics', role: 'group', 'aria-label': s.topicsLabel });
      renderTopics();
      return h('div', { class: 'nv-greeting' },
        h('p', { class: 'nv-greeting-title', text: s.greeting }),
        h('p', { class: 'nv-disclaimer' }, icon('info'), h('span', { text: s.disclaimer })),
        privacy,
        h('p', { class: 'nv-intro', text: s.intro }),
        topicsBox);
    }

    function renderTopics() {
      if (!topicsBox) return;
      topicsBox.textContent = '';
      var list = topicsCache[state.lang] || [];
      list.forEach(function (topic) {
        topicsBox.append(h('button', {
          type: 'button', class: 'nv-chip', 'data-topic-id': String(topic.id),
          text: topic.title,
          onclick: function () { sendAnswerId(topic.id, topic.title); }
        }));
      });
      topicsBox.hidden = list.length === 0;
    }

    function loadTopics() {
      var lang = state.lang;
      if (topicsCache[lang]) { renderTopics(); return; }
      api('GET', '/api/topics?lang=' + encodeURIComponent(lang)).then(function (r) {
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.topics)) return;
        topicsCache[lang] = r.data.topics.filter(function (x) {
          return x && x.id !== undefined && typeof x.title === 'string' && x.title;
        }).slice(0, 8);
        if (lang === state.lang) renderTopics();
      }).catch(function () { /* the start menu is optional */ });
    }

    function userEl(m) {
      var s = t();
      var bubble = h('div', { class: 'nv-bubble' });
      paragraphs(m.text).forEach(function (p) { bubble.append(h('p', { text: p })); });
      return h('div', { class: 'nv-msg nv-user' }, h('span', { class: 'nv-vh', text: s.you + ' ' }), bubble);
    }

    function botEl(m) {
      var s = t();
      var ms = tFor(m.lang);
      var kind = /^(answer|clarify|fallback|emergency|smalltalk)$/.test(m.kind) ? m.kind : 'answer';
      var bubble = h('div', { class: 'nv-bubble', lang: pickLang(m.lang) || state.lang });
      if (kind === 'emergency') {
        /* 112 first: the call link comes before the text */
        bubble.append(h('p', { class: 'nv-emergency-title' }, icon('alert'), h('strong', { text: ms.emergencyTitle })));
        bubble.append(h('a', { class: 'nv-call', href: 'tel:112' }, icon('phone'), h('span', { text: ms.emergencyCall })));
      }
      paragraphs(m.text).forEach(function (p) { bubble.append(h('p', {}, textWithPhones(p))); });
      var links = (m.links || []).map(function (l) {
        var href = l && safeUrl(l.url);
        if (!href) return null;
        var isWeb = /^https?:/.test(href);
        return h('li', {}, h('a', {
          href: href,
          target: isWeb ? '_blank' : null,
          rel: isWeb ? 'noopener' : null,
          class: 'nv-link'
        }, h('span', { text: String(l.title || href) }),
          isWeb ? h('span', { class: 'nv-vh', text: ' ' + ms.newTab }) : null,
          isWeb ? icon('external') : null));
      }).filter(Boolean);
      if (links.length) {
        var ul = h('ul', { class: 'nv-links', 'aria-label': ms.linksLabel });
        links.forEach(function (li) { ul.append(li); });
        bubble.append(ul);
      }
      var wrap = h('div', { class: 'nv-msg nv-bot nv-kind-' + kind },
        h('span', { class: 'nv-vh', text: s.bot + ' ' }), bubble);
      if (m.turn_id) wrap.append(rateEl(m));
      if (!m.used && Array.isArray(m.suggestions) && m.suggestions.length) {
        var box = h('div', { class: 'nv-suggestions', role: 'group', 'aria-label': s.suggestionsLabel });
        m.suggestions.forEach(function (sg) {
          if (!sg || sg.id === undefined || !sg.title) return;
          box.append(h('button', {
            type: 'button', class: 'nv-chip', 'data-answer-id': String(sg.id), text: String(sg.title),
            onclick: function () { sendAnswerId(sg.id, String(sg.title)); }
          }));
        });
        wrap.append(box);
      }
      return wrap;
    }

    function rateEl(m) {
      var s = t();
      var box = h('div', { class: 'nv-rate' });
      if (m.rated) {
        box.append(h('p', { class: 'nv-rate-thanks', tabindex: '-1' }, icon('check'), h('span', { text: s.thanks })));
        return box;
      }
      var qId = nextId('rq');
      var err = h('p', { class: 'nv-rate-error', hidden: true, text: s.rateFailed });
      function rate(helpful, btn) {
        if (box.getAttribute('aria-busy') === 'true') return;
        box.setAttribute('aria-busy', 'true');
        api('POST', '/api/feedback', { turn_id: m.turn_id, helpful: helpful }).then(function (r) {
          if (r.status !== 201 && r.status !== 200) throw new Error('status ' + r.status);
          m.rated = helpful ? 'up' : 'down';
          save();
          var fresh = rateEl(m);
          box.replaceWith(fresh);
          var thanks = fresh.querySelector('.nv-rate-thanks');
          if (thanks) thanks.focus();
          announce(s.thanks);
        }).catch(function () {
          box.removeAttribute('aria-busy');
          err.hidden = false;
          announce(s.rateFailed);
          btn.focus();
        });
      }
      var up = h('button', {
        type: 'button', class: 'nv-thumb nv-thumb-up', 'aria-label': s.thumbsUp, title: s.thumbsUp,
        'aria-describedby': qId
      }, icon('thumb'));
      var down = h('button', {
        type: 'button', class: 'nv-thumb nv-thumb-down', 'aria-label': s.thumbsDown, title: s.thumbsDown,
        'aria-describedby': qId
      }, icon('thumb', 'nv-flip'));
      up.addEventListener('click', function () { rate(true, up); });
      down.addEventListener('click', function () { rate(false, down); });
      box.append(h('span', { class: 'nv-rate-q', id: qId, text: s.helpful }), up, down, err);
      return box;
    }

    function messageEl(m) { return m.role === 'user' ? userEl(m) : botEl(m); }

    function renderLog() {
      log.textContent = '';
      log.append(greetingEl());
      state.messages.forEach(function (m) { log.append(messageEl(m)); });
      scrollToEnd();
    }

    function scrollToEnd() { log.scrollTop = log.scrollHeight; }

    /* Show the start of a new bot message if it is taller than the log. */
    function scrollToMessage(el) {
      var top = el.offsetTop - 8;
      if (el.offsetHeight > log.clientHeight - 16) log.scrollTop = top;
      else scrollToEnd();
    }

    function showTyping() {
      hideTyping();
      typingEl = h('div', { class: 'nv-msg nv-bot nv-typing' },
        h('span', { class: 'nv-vh', text: t().typing }),
        h('div', { class: 'nv-bubble', 'aria-hidden': 'true' },
          h('span', { class: 'nv-dot' }), h('span', { class: 'nv-dot' }), h('span', { class: 'nv-dot' })));
      log.append(typingEl);
      log.setAttribute('aria-busy', 'true');
      scrollToEnd();
    }

    function hideTyping() {
      if (typingEl) typingEl.remove();
      typingEl = null;
      log.removeAttribute('aria-busy');
    }

    function retireSuggestions() {
      var changed = false;
      state.messages.forEach(function (m) {
        if (m.role === 'bot' && !m.used && m.suggestions && m.suggestions.length) { m.used = true; changed = true; }
      });
      if (changed) {
        Array.prototype.forEach.call(log.querySelectorAll('.nv-msg .nv-suggestions'), function (el) { el.remove(); });
      }
    }

    function clearErrors() {
      Array.prototype.forEach.call(log.querySelectorAll('.nv-error'), function (el) { el.remove(); });
    }

    function showError(text, retryPayload) {
      var s = t();
      var bubble = h('div', { class: 'nv-bubble' }, icon('alert'), h('p', { text: text }));
      var el = h('div', { class: 'nv-msg nv-error' }, bubble);
      if (retryPayload) {
        bubble.append(h('button', {
          type: 'button', class: 'nv-retry', text: s.retry,
          onclick: function () { el.remove(); input.focus(); request(retryPayload); }
        }));
      }
      log.append(el);
      scrollToEnd();
      announce(text);
    }

    /* The 503 body carries a citizen-facing text: "text" as {"fi","sv","en"}
       or as a string (then maybe "texts" as the object with every language). */
    function unavailableText(data) {
      var lang = state.lang;
      function pick(obj) {
        if (!obj || typeof obj !== 'object') return null;
        var v = obj[lang];
        return typeof v === 'string' && v.trim() ? v : null;
      }
      if (data && typeof data === 'object') {
        var v = pick(data.text) || pick(data.texts);
        if (v) return v;
        if (typeof data.text === 'string' && data.text.trim()) return data.text;
        var obj = [data.text, data.texts].filter(function (o) { return o && typeof o === 'object'; })[0];
        if (obj) {
          var any = obj.fi || obj.sv || obj.en;
          if (typeof any === 'string' && any.trim()) return any;
        }
      }
      return t().unavailable;
    }

    /* ---------- sending ---------- */
    function request(payload) {
      busy = true;
      sendBtn.setAttribute('aria-disabled', 'true');
      clearErrors();
      showTyping();
      payload.lang = state.lang;
      payload.session = state.session;
      var sessionAtSend = state.session;
      return api('POST', '/api/chat', payload).then(function (r) {
        if (state.session !== sessionAtSend) return; /* a new conversation was started meanwhile */
        hideTyping();
        var d = r.data;
        if (r.status === 200 && d && typeof d.text === 'string') {
          var m = {
            role: 'bot',
            kind: d.kind,
            lang: pickLang(d.lang) || state.lang,
            text: d.text,
            links: Array.isArray(d.links) ? d.links : [],
            suggestions: Array.isArray(d.suggestions) ? d.suggestions : [],
            answer_id: d.answer_id === undefined ? null : d.answer_id,
            turn_id: d.turn_id || null
          };
          state.messages.push(m);
          save();
          var el = botEl(m);
          log.append(el);
          scrollToMessage(el);
          announce(t().bot + ' ' + (m.kind === 'emergency' ? tFor(m.lang).emergencyTitle + '. ' : '') + m.text);
          return;
        }
        var s = t();
        if (r.status === 429) showError(s.rateLimited, payload);
        else if (r.status === 503) showError(unavailableText(d), payload);
        else if (r.status === 400 && d && d.error && d.error.code === 'message_too_long') showError(fill(s.tooLong, { max: MAX_MESSAGE }), null);
        else showError(s.genericError, payload);
      }).catch(function () {
        if (state.session !== sessionAtSend) return;
        hideTyping();
        showError(t().offline, payload);
      }).finally(function () {
        busy = false;
        sendBtn.removeAttribute('aria-disabled');
      });
    }

    function addUserMessage(text) {
      retireSuggestions();
      var m = { role: 'user', text: text };
      state.messages.push(m);
      save();
      log.append(userEl(m));
      scrollToEnd();
    }

    function sendText(text) {
      text = String(text || '').trim();
      if (!text || busy) return;
      if (text.length > MAX_MESSAGE) {
        showError(fill(t().tooLong, { max: MAX_MESSAGE }), null);
        return;
      }
      addUserMessage(text);
      request({ message: text });
    }

    function sendAnswerId(id, title) {
      if (busy) return;
      addUserMessage(title);
      input.focus();
      request({ answer_id: id });
    }

    compose.addEventListener('submit', function (e) {
      e.preventDefault();
      if (busy) return;
      var text = input.value;
      if (!text.trim()) { input.focus(); return; }
      input.value = '';
      sendText(text);
      input.focus();
    });

    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        if (typeof compose.requestSubmit === 'function') compose.requestSubmit();
        else compose.dispatchEvent(new Event('submit', { cancelable: true }));
      }
    });

    /* ---------- new conversation ---------- */
    newBtn.addEventListener('click', function () {
      state.session = newSessionId();
      state.messages = [];
      state.view = 'chat';
      busy = false;
      sendBtn.removeAttribute('aria-disabled');
      hideTyping();
      save();
      showView('chat', false);
      renderLog();
      input.value = '';
      input.focus();
      announce(t().newConversationDone);
    });

    /* ---------- feedback form ---------- */
    var fb = {};

    function renderFeedback() {
      var s = t();
      fbView.textContent = '';
      fb.title = h('h3', { class: 'nv-fb-title', id: 'nv-fb-title', tabindex: '-1', text: s.feedbackTitle });
      fb.status = h('div', { class: 'nv-fb-status', role: 'status' });
      fb.back = h('button', { type: 'button', class: 'nv-secondary nv-fb-back', text: s.backToChat,
        onclick: function () { showView('chat', true); } });

      if (feedbackDone) {
        var done = h('p', { class: 'nv-fb-done', tabindex: '-1' }, icon('check'), h('span', { text: s.feedbackThanks }));
        fb.status.append(done);
        fbView.append(fb.title, fb.status, h('div', { class: 'nv-fb-actions' }, fb.back));
        fb.done = done;
        return;
      }

      var fieldset = h('fieldset', { class: 'nv-rating', 'aria-describedby': 'nv-fb-error' },
        h('legend', { text: s.ratingLegend }));
      var scale = h('div', { class: 'nv-scale' });
      fb.radios = [];
      for (var i = 1; i <= 5; i++) {
        var rid = 'nv-rating-' + i;
        var radio = h('input', { type: 'radio', name: 'nv-rating', id: rid, value: String(i), class: 'nv-radio' });
        if (state.fbDraft.rating === i) radio.checked = true;
        radio.addEventListener('change', onDraftChange);
        fb.radios.push(radio);
        scale.append(h('span', { class: 'nv-scale-item' }, radio,
          h('label', { for: rid },
            h('span', { 'aria-hidden': 'true', text: String(i) }),
            h('span', { class: 'nv-vh', text: (s.ratingNames || [])[i - 1] || String(i) }))));
      }
      fieldset.append(scale);

      fb.comment = h('textarea', {
        id: 'nv-comment', class: 'nv-comment', rows: '4', maxlength: String(MAX_COMMENT),
        'aria-describedby': 'nv-comment-count nv-fb-error'
      });
      fb.comment.value = state.fbDraft.comment || '';
      fb.count = h('p', { class: 'nv-counter', id: 'nv-comment-count' });
      fb.comment.addEventListener('input', onDraftChange);
      fb.error = h('p', { class: 'nv-fb-error', id: 'nv-fb-error', role: 'alert' });

      fb.submit = h('button', { type: 'submit', class: 'nv-primary', text: s.submitFeedback });
      fb.form = h('form', { class: 'nv-fb-form', novalidate: true },
        h('p', { class: 'nv-fb-intro', text: s.feedbackIntro }),
        fieldset,
        h('label', { class: 'nv-label', for: 'nv-comment', text: s.commentLabel }),
        fb.comment, fb.count, fb.error,
        h('div', { class: 'nv-fb-actions' }, fb.submit, fb.back));
      fb.form.addEventListener('submit', onFeedbackSubmit);
      fbView.append(fb.title, fb.form, fb.status);
      updateCounter();
      if (state.fbPending) showFeedbackFailed();
    }

    function onDraftChange() {
      var checked = fb.radios.filter(function (r) { return r.checked; })[0];
      state.fbDraft = {
        rating: checked ? parseInt(checked.value, 10) : null,
        comment: fb.comment.value.slice(0, MAX_COMMENT)
      };
      if (fb.error.textContent && (state.fbDraft.rating || state.fbDraft.comment.trim())) {
        fb.error.textContent = '';
      }
      updateCounter();
      save();
    }

    function updateCounter() {
      var n = fb.comment.value.length;
      fb.count.textContent = fill(t().counter, { n: n, max: MAX_COMMENT });
      fb.count.classList.toggle('nv-counter-near', n > MAX_COMMENT - 100);
    }

    function onFeedbackSubmit(e) {
      e.preventDefault();
      var s = t();
      onDraftChange();
      var rating = state.fbDraft.rating;
      var comment = state.fbDraft.comment.trim();
      if (!rating && !comment) {
        fb.error.textContent = s.feedbackRequired;
        fb.radios[0].focus();
        return;
      }
      if (comment.length > MAX_COMMENT) {
        fb.error.textContent = fill(s.commentTooLong, { max: MAX_COMMENT });
        fb.comment.focus();
        return;
      }
      fb.error.textContent = '';
      var payload = { lang: state.lang, session: state.session, page: location.pathname };
      if (rating) payload.rating = rating;
      if (comment) payload.comment = comment;
      state.fbPending = payload;
      save();
      postFeedback(true);
    }

    var fbInFlight = false;
    function postFeedback(interactive) {
      if (!state.fbPending || fbInFlight) return;
      var s = t();
      fbInFlight = true;
      if (interactive && fb.submit) {
        fb.submit.setAttribute('aria-disabled', 'true');
        fb.status.textContent = s.feedbackSending;
      }
      var payload = state.fbPending;
      api('POST', '/api/feedback', payload).then(function (r) {
        if (r.status === 201 || r.status === 200) {
          state.fbPending = null;
          state.fbDraft = { rating: null, comment: '' };
          save();
          if (state.view === 'feedback' && !panel.hidden) {
            feedbackDone = true;
            renderFeedback();
            if (fb.done) fb.done.focus();
          } else {
            feedbackDone = false;
            renderFeedback();
            announce(interactive ? s.feedbackThanks : s.feedbackRetried);
          }
          return;
        }
        if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
          /* rejected: will not succeed on retry; keep what was typed as a draft */
          state.fbPending = null;
          save();
          if (fb.status) fb.status.textContent = '';
          if (fb.error) fb.error.textContent = s.genericError;
          return;
        }
        throw new Error('status ' + r.status);
      }).catch(function () {
        if (state.view === 'feedback') showFeedbackFailed();
      }).finally(function () {
        fbInFlight = false;
        if (fb.submit) fb.submit.removeAttribute('aria-disabled');
      });
    }

    function showFeedbackFailed() {
      var s = t();
      if (!fb.status) return;
      fb.status.textContent = '';
      fb.status.append(
        h('p', { class: 'nv-fb-failed' }, icon('alert'), h('span', { text: s.feedbackFailed })),
        h('button', { type: 'button', class: 'nv-secondary nv-fb-retry', text: s.retry,
          onclick: function () { postFeedback(true); } }));
    }

    window.addEventListener('online', function () { if (state.fbPending) postFeedback(false); });

    /* ---------- views, open/close ---------- */
    function showView(view, moveFocus) {
      state.view = view;
      save();
      var fbOn = view === 'feedback';
      chatView.hidden = fbOn;
      fbView.hidden = !fbOn;
      fbBtn.setAttribute('aria-pressed', fbOn ? 'true' : 'false');
      if (fbOn) {
        renderFeedback();
        if (moveFocus) fb.title.focus();
      } else {
        feedbackDone = false;
        if (moveFocus) input.focus();
      }
    }

    fbBtn.addEventListener('click', function () {
      showView(state.view === 'feedback' ? 'chat' : 'feedback', true);
    });

    function openPanel(moveFocus) {
      panel.hidden = false;
      root.classList.add('nv-is-open');
      launcher.setAttribute('aria-expanded', 'true');
      state.open = true;
      save();
      loadTopics();
      syncViewport();
      scrollToEnd();
      if (moveFocus) {
        if (state.view === 'feedback' && fb.title) fb.title.focus();
        else input.focus();
      }
    }

    function closePanel(returnFocus) {
      panel.hidden = true;
      root.classList.remove('nv-is-open');
      launcher.setAttribute('aria-expanded', 'false');
      state.open = false;
      save();
      if (returnFocus) launcher.focus();
    }

    launcher.addEventListener('click', function () {
      if (panel.hidden) openPanel(true);
      else closePanel(true);
    });
    closeBtn.addEventListener('click', function () { closePanel(true); });

    var fullScreen = window.matchMedia('(max-width: 480px), (max-height: 420px)');

    panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' || e.key === 'Esc') {
        e.preventDefault();
        e.stopPropagation();
        closePanel(true);
        return;
      }
      /* When the panel covers the whole screen, keep Tab inside it. */
      if (e.key === 'Tab' && fullScreen.matches) {
        var items = Array.prototype.filter.call(
          panel.querySelectorAll('button, a[href], input, select, textarea, summary, [tabindex="0"]'),
          function (el) { return !el.disabled && el.getClientRects().length > 0; });
        if (!items.length) return;
        var first = items[0];
        var last = items[items.length - 1];
        var active = shadow.activeElement;
        if (e.shiftKey && active === first) { e.preventDefault(); last.focus(); }
        else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
      }
    });

    langSelect.addEventListener('change', function () {
      var lang = pickLang(langSelect.value);
      if (!lang || lang === state.lang) return;
      state.lang = lang;
      save();
      applyStaticTexts();
      renderLog();
      if (state.view === 'feedback') renderFeedback();
      loadTopics();
    });

    /* ---------- on-screen keyboard: follow the visual viewport ---------- */
    function syncViewport() {
      var vv = window.visualViewport;
      if (!vv) return;
      host.style.setProperty('--nv-vvh', Math.round(vv.height) + 'px');
      host.style.setProperty('--nv-vvtop', Math.round(vv.offsetTop) + 'px');
    }
    if (window.visualViewport) {
      window.visualViewport.addEventListener('resize', syncViewport);
      window.visualViewport.addEventListener('scroll', syncViewport);
    }

    /* ---------- go ---------- */
    applyStaticTexts();
    renderLog();
    showView(state.view, false);
    document.body.appendChild(host);
    if (state.open) openPanel(false);
    if (state.fbPending && navigator.onLine !== false) postFeedback(false);

    /* A tiny API for the embedding page. */
    window.Neuvo = {
      open: function () { openPanel(true); },
      close: function () { closePanel(false); },
      setLanguage: function (lang) {
        lang = pickLang(lang);
        if (!lang) return;
        langSelect.value = lang;
        langSelect.dispatchEvent(new Event('change'));
      }
    };
  }

  function boot() {
    loadI18n().then(start).catch(function (err) {
      if (window.console) console.error('Neuvo widget:', err);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
