// A minimal W3C WebDriver client over fetch, for tauri-driver.
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  // A new session starts the app. Once in a CI run (a loaded machine), WebKitWebDriver never
  // answered the request and fetch gave up after its own 300 s: each try is given 90 s, and a
  // second try starts the app again.
  static async start(base, application, args) {
    const body = { capabilities: { alwaysMatch: { "tauri:options": { application, args } } } };
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await request(base, "POST", "/session", body, 90_000);
        return new Session(base, res.sessionId);
      } catch (e) {
        if (attempt >= 2) throw e;
        console.error(`new session: ${e.message}; starting the app again`);
      }
    }
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const el = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return el[ELEMENT];
  }

  async findAll(css) {
    const els = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return els.map((e) => e[ELEMENT]);
  }

  text(el) {
    return this.cmd("GET", `/element/${el}/text`);
  }

  attribute(el, name) {
    return this.cmd("GET", `/element/${el}/attribute/${name}`);
  }

  // Scrolls the element to the middle of its scroller, as a user would before clicking or
  // typing: WebKitWebDriver's own scrolling leaves an element at the very edge of the window's
  // scrolling <main>, where it counts as not interactable.
  reveal(el) {
    return this.script("arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });", [{ [ELEMENT]: el }]);
  }

  async click(el) {
    await this.reveal(el);
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  async type(el, text) {
    await this.reveal(el);
    await this.cmd("POST", `/element/${el}/clear`, {});
    return this.cmd("POST", `/element/${el}/value`, { text });
  }

  // Presses one key (a WebDriver key code such as "\uE00C", Escape) on whatever has the focus.
  keys(value) {
    return this.cmd("POST", "/actions", {
      actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value }, { type: "keyUp", value }] }],
    });
  }

  // Presses a key with Control held (the app takes Control as ⌘ off the Mac): chord("r").
  chord(key, modifier = "\uE009") {
    return this.cmd("POST", "/actions", {
      actions: [
        {
          type: "key",
          id: "keyboard",
          actions: [{ type: "keyDown", value: modifier }, { type: "keyDown", value: key }, { type: "keyUp", value: key }, { type: "keyUp", value: modifier }],
        },
      ],
    });
  }

  script(body, args = []) {
    return this.cmd("POST", "/execute/sync", { script: body, args });
  }

  // The text of an element cut with an ellipsis (the header's workspace name): WebKitWebDriver's
  // element text answers "" for it, though it is painted (seen in the screenshots), so this
  // reads the text and checks that the element has a box inside the window.
  async clippedText(css) {
    return this.script(
      `const e = document.querySelector(arguments[0]); const r = e.getBoundingClientRect();
       return r.width > 0 && r.height > 0 && r.right <= innerWidth && r.bottom <= innerHeight ? e.textContent : "(not in the window)";`,
      [css],
    );
  }

  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }

  // Polls `probe` until it returns a truthy value, or fails with what it last saw.
  async until(what, probe, timeoutMs = 30000) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        last = await probe();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}; last: ${last}`);
  }

  end() {
    return this.cmd("DELETE", "");
  }
}

async function request(base, method, path, body, timeoutMs) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  }
  return json.value;
}
