import { strict as assert } from 'assert';
import { readingSettingProblems, readingSettings } from '../../../src/readings/read-settings';
import { FixedResolutionNotes } from '../../../src/readings/fixed-resolution';

const A = '28-0316a27950ff';
const S = '10-000802b4a1c3';

describe('readings: settings as saved in a flow', () => {
  it('takes the defaults from blanks and an older flow, so it reads as before', () => {
    const settings = readingSettings({ sensors: [{ ident: A, name: 'Boiler' }] });
    assert.deepEqual(settings, {
      sensors: [{ ident: A, name: 'Boiler' }],
      unit: 'C',
      decimals: null,
      resolution: undefined,
      deadband: 0,
      heartbeat: 0,
      maxStep: 0,
    });
    assert.deepEqual(readingSettingProblems({}).filter(Boolean), []);
  });

  it('reads what the dialog writes (strings) and what a hand-written flow has (numbers)', () => {
    const settings = readingSettings({
      sensors: [
        { id: A, offset: '-0.5' },
        { id: S, offset: 0.25, name: 'Tank' },
      ],
      unit: 'F',
      decimals: '1',
      resolution: 9,
      deadband: '0.2',
      heartbeat: 300,
      maxStep: '5',
    });
    assert.deepEqual(settings, {
      sensors: [
        { ident: A, offset: -0.5 },
        { ident: S, name: 'Tank', offset: 0.25 },
      ],
      unit: 'F',
      decimals: 1,
      resolution: 9,
      deadband: 0.2,
      heartbeat: 300,
      maxStep: 5,
    });
  });

  it('finds what the edit dialog refuses', () => {
    const rules = readingSettingProblems({
      sensors: [{ id: A, offset: 11 }],
      decimals: 5,
      resolution: 8,
      deadband: -1,
      heartbeat: 'often',
      maxStep: 200,
    })
      .filter(Boolean)
      .map((p) => p?.rule);
    assert.deepEqual(rules, ['sensorOffset', 'decimals', 'resolution', 'deadband', 'heartbeat', 'maxStep']);
  });

  it('names a DS18S20 once, whatever the number of cycles', () => {
    const notes = new FixedResolutionNotes();
    const cycle = [
      { ident: A, timestamp: 1, temperature: 1 },
      { ident: S, timestamp: 1, temperature: 2 },
    ];
    assert.deepEqual(notes.newlyFixed(cycle), [S]);
    assert.deepEqual(notes.newlyFixed(cycle), []);
  });
});
