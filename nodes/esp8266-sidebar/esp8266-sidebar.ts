// The editor's Boards sidebar, runtime side: a thin adapter between the board watch (src/board-watch/) and
// Node-RED's comms and admin API. The page says over comms when it shows the tab; while no page does, the
// watch keeps counters only and nothing is published.
import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import '../../src/virtual-ports';
import { BoardActions, UnknownBoardError } from '../../src/board-watch/board-actions';
import { boardWatch } from '../../src/board-watch/board-watch';
import { FlashError } from '../../src/esp8266/flash-errors';
import { createSerialLink } from '../../src/serial/open-port';

const PLUGIN = 'esp8266-sidebar';
const WATCH_TOPIC = `${PLUGIN}/watch`;
const UPDATE_TOPIC = `${PLUGIN}/update`;
/** settings.js: the image the flash node's *bundled* choice writes; the sidebar writes the same. */
const BUNDLED_IMAGE_SETTING = 'esp8266FlashBundledImage';

interface CommsMessage {
  session?: string;
  data?: unknown;
}

export = function register(RED: NodeAPI): void {
  RED.plugins.registerPlugin(PLUGIN, { type: PLUGIN });
  const actions = new BoardActions(boardWatch);
  const watchers = new Set<string>();
  const bundledPath = () =>
    (RED.settings as unknown as Partial<Record<typeof BUNDLED_IMAGE_SETTING, string>>)[BUNDLED_IMAGE_SETTING] || undefined;

  const setWatching = (session: string | undefined, open: boolean) => {
    if (!session) return;
    if (open) watchers.add(session);
    else watchers.delete(session);
    boardWatch.setWatched(watchers.size > 0);
  };
  RED.events.on(`comms:message:${WATCH_TOPIC}`, (message: CommsMessage) => {
    setWatching(message.session, (message.data as { open?: unknown } | undefined)?.open === true);
  });
  RED.events.on('comms:connection-removed', (message: CommsMessage) => setWatching(message.session, false));
  boardWatch.publish = (update) => RED.comms.publish(UPDATE_TOPIC, update, false);

  const canRead = RED.auth.needsPermission(`${PLUGIN}.read`);
  const canWrite = RED.auth.needsPermission(`${PLUGIN}.write`);
  const failed = (res: Response, error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    const status = error instanceof UnknownBoardError ? 404 : error instanceof FlashError && error.code === 'already-flashing' ? 409 : 503;
    res.status(status).json({ error: reason });
  };
  const id = (req: Request) => String(req.params.id ?? '');

  RED.httpAdmin.get(`/${PLUGIN}/boards`, canRead, (_req, res) => {
    res.json(boardWatch.snapshot());
  });
  RED.httpAdmin.post(`/${PLUGIN}/boards/:id/scan`, canWrite, (req, res) => {
    actions.scan(id(req)).then(
      (count) => res.json({ count }),
      (error) => failed(res, error),
    );
  });
  RED.httpAdmin.post(`/${PLUGIN}/boards/:id/read`, canWrite, (req, res) => {
    actions.readNow(id(req)).then(
      () => res.json({}),
      (error) => failed(res, error),
    );
  });
  RED.httpAdmin.post(`/${PLUGIN}/boards/:id/flash`, canWrite, (req, res) => {
    // Progress goes out with the board's updates; the answer comes when the flash is over.
    actions.flashBridge(id(req), { createLink: createSerialLink, bundledPath: bundledPath() }).then(
      (result) => res.json({ mac: result.mac, bytesWritten: result.bytesWritten, restarted: result.restarted }),
      (error) => failed(res, error),
    );
  });
  RED.httpAdmin.post(`/${PLUGIN}/boards/:id/report`, canWrite, (req, res) => {
    try {
      res.type('text/plain').send(actions.report(id(req)));
    } catch (error) {
      failed(res, error);
    }
  });
};
