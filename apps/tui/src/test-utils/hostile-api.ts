import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import xterm from "@xterm/headless";

const ESC = "\u001b";
const BEL = "\u0007";

/** Sequences a terminal acts on: window title, clipboard write, a link, screen clear, colour, bidi override, 8-bit OSC. */
export const ATTACK = {
  title: `${ESC}]0;pwned${BEL}`,
  clipboard: `${ESC}]52;c;cHduZWQ=${BEL}`,
  link: `${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`,
  clear: `${ESC}[2J${ESC}[H`,
  red: `${ESC}[31m`,
  rtl: "\u202e",
  osc8bit: "\u009d2;pwned8\u009c",
} as const;

/** What the hostile API serves, each string carrying some of {@link ATTACK}. */
export const HOSTILE = {
  title: `Call ${ATTACK.title}${ATTACK.clipboard} ${ATTACK.rtl}3pm.exe`,
  reference: `ref ${ATTACK.osc8bit}${ATTACK.clear}`,
  tags: [`tag${ATTACK.title}`],
  metadata: { [`k${ATTACK.red}`]: `v${ATTACK.clipboard}` },
  model: `slng/model${ATTACK.red}`,
  error: `bad audio ${ATTACK.link} ${ATTACK.clear}${ATTACK.clipboard} ${ATTACK.rtl}gpj.exe`,
  notFound: `Job not found ${ATTACK.title}${ATTACK.clipboard}`,
  createError: `rejected ${ATTACK.title}${ATTACK.clipboard}${ATTACK.rtl}`,
  transcript: `Hello ${ATTACK.title}world.\n${ATTACK.red}Red ${ATTACK.rtl}txt.exe${ESC}[0m\r\nThird ${ATTACK.clipboard}${ATTACK.link} line.\n`,
  inputKey: `inputs/in${ATTACK.title}.wav`,
  evilId: `evil${ATTACK.clear}${ATTACK.title}`,
};

const SUBMITTED = "2026-01-01T12:00:00.000Z";

function job(id: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    job_id: id,
    status,
    model_code: HOSTILE.model,
    job_config: {
      type: "transcription",
      transcription_config: { language: "en" },
      tracking: { title: HOSTILE.title, reference: HOSTILE.reference, tags: HOSTILE.tags },
    },
    input_metadata: { size_bytes: 1000, duration_seconds: 5, format: "wav", mime_type: "audio/wav" },
    output_metadata: {},
    metadata: HOSTILE.metadata,
    error_message: null,
    submitted_at: SUBMITTED,
    started_at: "2026-01-01T12:00:01.000Z",
    completed_at: "2026-01-01T12:00:09.000Z",
    updated_at: "2026-01-01T12:00:09.000Z",
    ...extra,
  };
}

/** The jobs it serves: `hostileDone` (with outputs), `hostileFailed`, and one whose id itself is hostile (list only). */
export const JOBS = [
  job("hostileDone", "DONE"),
  job("hostileFailed", "FAILED", { error_message: { message: HOSTILE.error } }),
  job(HOSTILE.evilId, "DONE"),
];

/** The json transcript it serves. */
export const JSON_TRANSCRIPT = {
  format: "2.9",
  job: { id: "hostileDone", data_name: HOSTILE.title },
  results: [{ type: "word", start_time: 0, end_time: 1, alternatives: [{ content: HOSTILE.transcript }] }],
};

function send(res: ServerResponse, status: number, body: unknown, type = "application/json") {
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function route(req: IncomingMessage, res: ServerResponse, base: string) {
  const url = new URL(req.url ?? "/", base);
  const path = url.pathname;
  const download = /^\/dl\/(\w+)\.(txt|srt|json)$/.exec(path);
  if (download) {
    if (download[2] === "json") return send(res, 200, JSON_TRANSCRIPT);
    return send(res, 200, HOSTILE.transcript, "text/plain; charset=utf-8");
  }
  if (path === "/v1/batch/jobs" && req.method === "POST") {
    // A URL input (JSON) is accepted with a hostile acknowledgement; an upload (multipart) is refused.
    const accepted = req.headers["content-type"]?.startsWith("application/json") === true;
    req.resume();
    req.on("end", () =>
      accepted
        ? send(res, 202, { job_id: HOSTILE.evilId, status: `QUEUED${ATTACK.title}` })
        : send(res, 400, { error: HOSTILE.createError }),
    );
    return;
  }
  if (path === "/v1/batch/jobs") {
    return send(res, 200, { items: JOBS, meta: { page: 1, page_size: 20, total: JOBS.length, pages: 1 } });
  }
  const files = /^\/v1\/batch\/jobs\/(\w+)\/files$/.exec(path);
  const one = /^\/v1\/batch\/jobs\/(\w+)$/.exec(path);
  const found = JOBS.find((j) => j.job_id === (files ?? one)?.[1]);
  if (!found) return send(res, 404, { error: HOSTILE.notFound });
  if (one && req.method === "DELETE") return send(res, 202, { job_id: HOSTILE.evilId, status: "DELETED" });
  if (one) return send(res, 200, found);
  const outputs =
    found.status === "DONE"
      ? (["json", "txt", "srt"] as const).map((format) => ({
          format,
          key: `outputs/${found.job_id}/${ATTACK.clipboard}.${format}`,
          s3_uri: `s3://b/${ATTACK.title}`,
          download_url: `${base}/dl/${found.job_id}.${format}`,
        }))
      : [];
  return send(res, 200, {
    job_id: found.job_id,
    inputs: [{ key: HOSTILE.inputKey, s3_uri: `s3://b/${HOSTILE.inputKey}`, download_url: `${base}/dl/in.wav` }],
    outputs,
  });
}

/** A fake SLNG Batch API on loopback whose every string tries to drive the terminal; `keys` lists the bearer keys it was sent. */
export async function startHostileApi(): Promise<{ url: string; keys: string[]; close: () => Promise<void> }> {
  let base = "";
  const keys: string[] = [];
  const server: Server = createServer((req, res) => {
    const auth = /^Bearer (.*)$/.exec(req.headers.authorization ?? "")?.[1];
    if (auth !== undefined) keys.push(auth);
    route(req, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Characters a terminal acts on (C0 but line feed and tab, DEL, C1, bidi controls): none may reach it. */
export const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What a terminal did with `output`: its screen lines, and the title changes and OSC commands it acted on. */
export function terminalEffects(
  output: string,
  cols: number,
  rows: number,
): Promise<{ lines: string[]; titles: string[]; osc: number[] }> {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true, convertEol: true });
  const titles: string[] = [];
  const osc: number[] = [];
  terminal.onTitleChange((t) => titles.push(t));
  for (const id of [0, 1, 2, 7, 8, 9, 52, 133, 777, 1337]) {
    terminal.parser.registerOscHandler(id, () => {
      osc.push(id);
      return false;
    });
  }
  return new Promise((resolve) => {
    terminal.write(output, () => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
      terminal.dispose();
      resolve({ lines, titles, osc });
    });
  });
}
