// The editor's sensor list as Node-RED's adminAuth users meet it, in a Node-RED process of its own: a user
// with only read permission lists what a deployed flow already shows, and nothing else of the server.
import { strict as assert } from 'assert';
import { NodeRedProcess, startNodeRed } from '../../e2e/support/node-red-process';
import { FakeW1Tree } from '../../src/onewire/fake-w1-tree';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- Node-RED's own password hashing (a dependency of node-red)
const bcrypt = require(require.resolve('bcryptjs', { paths: [require.resolve('node-red')] })) as {
  hashSync(text: string, rounds: number): string;
};

const A = '28-0316a27950ff';
const PASSWORD = 'a test password';

describe('ds18b20-read sensor list with adminAuth users', function () {
  this.timeout(60000);
  let nodeRed: NodeRedProcess;
  let deployed: FakeW1Tree;
  let other: FakeW1Tree;
  const tokens: Record<string, string> = {};

  async function login(username: string, scope: string): Promise<string> {
    const response = await fetch(new URL('auth/token', nodeRed.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-editor', grant_type: 'password', scope, username, password: PASSWORD }),
    });
    assert.equal(response.status, 200, `login of ${username}: ${response.status} ${await response.clone().text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function sensors(user: string | null, query: Record<string, string>): Promise<{ status: number; body: string }> {
    const response = await fetch(new URL(`ds18b20-read/sensors?${new URLSearchParams(query).toString()}`, nodeRed.baseUrl), {
      headers: user ? { Authorization: `Bearer ${tokens[user]}` } : {},
    });
    return { status: response.status, body: await response.text() };
  }

  before(async () => {
    deployed = await FakeW1Tree.create();
    await deployed.addMaster(1, [A]);
    await deployed.addSensor(A, 21000);
    other = await FakeW1Tree.create();
    await other.addMaster(1, [A]);
    await other.addSensor(A, 22000);
    const hash = bcrypt.hashSync(PASSWORD, 8);
    nodeRed = await startNodeRed({
      settings: {
        adminAuth: {
          type: 'credentials',
          users: [
            { username: 'viewer', password: hash, permissions: 'read' },
            { username: 'editor', password: hash, permissions: '*' },
          ],
        },
      },
    });
    tokens.viewer = await login('viewer', 'read');
    tokens.editor = await login('editor', '*');
    const deploy = await fetch(new URL('flows', nodeRed.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.editor}`, 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify([
        { id: 'tab', type: 'tab', label: 'sensors' },
        {
          id: 'r',
          z: 'tab',
          type: 'ds18b20-read',
          source: 'w1',
          w1Path: deployed.root,
          interval: 0,
          output: 'each',
          unit: 'C',
          sensors: [],
          wires: [[]],
        },
        { id: 'dev', type: 'esp8266-device', port: 'sim:permissions', baud: 115200, reset: 'none' },
      ]),
    });
    assert.equal(deploy.status, 204, await deploy.text());
  });

  after(async () => {
    await nodeRed?.stop();
    await deployed?.remove();
    await other?.remove();
  });

  it('lets a read-only user list the w1 path a deployed node reads', async () => {
    const listed = await sensors('viewer', { source: 'w1', w1Path: deployed.root });
    assert.equal(listed.status, 200, listed.body);
    assert.deepEqual(JSON.parse(listed.body), [{ ident: A, model: 'DS18B20' }]);
  });

  it('gives a read-only user the same refusal for any other path, so nothing of the filesystem shows', async () => {
    for (const w1Path of [other.root, '/etc', '/nonexistent/w1', `${deployed.root}/../..`]) {
      const refused = await sensors('viewer', { source: 'w1', w1Path });
      assert.deepEqual(refused, { status: 401, body: '' }, w1Path);
    }
    const editor = await sensors('editor', { source: 'w1', w1Path: other.root });
    assert.equal(editor.status, 200, editor.body);
    const missing = await sensors('editor', { source: 'w1', w1Path: '/nonexistent/w1' });
    assert.match(missing.body, /no 1-Wire bus at \/nonexistent\/w1 \(ENOENT\)/);
  });

  it('does not let a read-only user open the serial port and scan the bus', async () => {
    const refused = await sensors('viewer', { source: 'esp8266', device: 'dev' });
    assert.deepEqual(refused, { status: 401, body: '' });
    const editor = await sensors('editor', { source: 'esp8266', device: 'dev' });
    assert.notEqual(editor.status, 401);
    assert.match(editor.body, /flash the bridge firmware/, "the editor's request did reach the board");
  });

  it('refuses anyone who is not logged in', async () => {
    assert.equal((await sensors(null, { source: 'w1', w1Path: deployed.root })).status, 401);
  });
});
