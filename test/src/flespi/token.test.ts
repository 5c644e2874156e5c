import { strict as assert } from 'assert';
import { flespiUsername } from '../../../src/flespi/token';

const TOKEN = 'A'.repeat(32) + 'b'.repeat(32);

describe('flespi token', () => {
  it('adds the FlespiToken prefix to a bare token', () => {
    assert.equal(flespiUsername(TOKEN), `FlespiToken ${TOKEN}`);
  });

  it('keeps a token pasted with the prefix, in any case, without doubling it', () => {
    assert.equal(flespiUsername(`FlespiToken ${TOKEN}`), `FlespiToken ${TOKEN}`);
    assert.equal(flespiUsername(`flespitoken   ${TOKEN}`), `FlespiToken ${TOKEN}`);
  });

  it('trims whitespace and line breaks around the token', () => {
    assert.equal(flespiUsername(`  \n${TOKEN}\r\n `), `FlespiToken ${TOKEN}`);
  });

  it('refuses an empty token with a message that says where to enter it', () => {
    assert.throws(() => flespiUsername(''), /no flespi token/);
    assert.throws(() => flespiUsername(undefined), /no flespi token/);
    assert.throws(() => flespiUsername('FlespiToken   '), /no flespi token/);
  });

  it('refuses a token with inner whitespace or of absurd length', () => {
    assert.throws(() => flespiUsername(`${TOKEN} ${TOKEN}`), /spaces or line breaks/);
    assert.throws(() => flespiUsername('x'.repeat(600)), /600 characters/);
  });
});
