/** The house naming rule (`tools/lint/short-names.cjs`): what it allows and what it reports. */
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';

const rule = require('../../tools/lint/short-names.cjs');

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

// RuleTester registers one jest test per case (describe/it are globals here).
describe('one-letter names: allowed in short lambdas, loop heads and type parameters; reported elsewhere', () => {
  tester.run('short-names', rule, {
    valid: [
      'const ids = vms.map((v) => v.id);',
      'for (let i = 0; i < 3; i++) total += i;',
      'for (const k of keys) use(k);',
      'function first<T>(items: T[]): T | undefined { return items[0]; }',
      'try { run(); } catch (e) { log(e); }',
      'const _ = ignored();',
    ],
    invalid: [
      { code: 'const t = load();', errors: [{ messageId: 'short' }] },
      { code: 'function render(o: Options) { return o; }', errors: [{ messageId: 'short' }] },
      { code: 'class Demo { private readonly o = 1; }', errors: [{ messageId: 'short' }] },
      { code: 'class Demo { constructor(private readonly o: Options) {} }', errors: [{ messageId: 'short' }] },
      { code: 'const { a, b: name } = pair();', errors: [{ messageId: 'short' }] },
      {
        code: 'const sum = (x: number) => {\n  const doubled = x * 2;\n  const tripled = x * 3;\n  return doubled + tripled;\n};',
        errors: [{ messageId: 'short' }],
      },
      {
        code: 'try {\n  run();\n} catch (e) {\n  log(e);\n  report(e);\n  retry();\n}',
        errors: [{ messageId: 'short' }],
      },
    ],
  });
});
