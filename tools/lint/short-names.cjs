/**
 * ESLint rule: no one-letter names, except where a reader sees the whole scope at once: the
 * parameters of a short lambda (or catch block), loop variables, and type parameters (`T`, `K`).
 * Names that outlive a few lines (fields, parameters of named functions, locals) must say what they hold.
 */

/** Lines a lambda or catch block may span and still count as short. */
const SHORT_LINES = 3;

const spans = (node) => node.loc.end.line - node.loc.start.line + 1;

/** Identifiers a binding pattern declares (`a`, `{ a, b: c }`, `[a, ...b]`, `a = 1`). */
function declared(pattern) {
  switch (pattern?.type) {
    case 'Identifier':
      return [pattern];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => declared(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => declared(e));
    case 'RestElement':
      return declared(pattern.argument);
    case 'AssignmentPattern':
      return declared(pattern.left);
    case 'TSParameterProperty':
      return declared(pattern.parameter);
    default:
      return [];
  }
}

const isShortLambda = (fn) =>
  (fn.type === 'ArrowFunctionExpression' ||
    (fn.type === 'FunctionExpression' && !fn.id && fn.parent.type !== 'MethodDefinition')) &&
  spans(fn) <= SHORT_LINES;

const inLoopHead = (decl) =>
  (decl.parent.type === 'ForStatement' && decl.parent.init === decl) ||
  ((decl.parent.type === 'ForOfStatement' || decl.parent.type === 'ForInStatement') && decl.parent.left === decl);

module.exports = {
  meta: {
    type: 'suggestion',
    docs: { description: 'disallow one-letter names outside short lambdas, loop heads and type parameters' },
    schema: [],
    messages: { short: "'{{name}}' is one letter long: name what it holds ({{where}})." },
  },
  create(context) {
    const check = (ids, where) => {
      for (const id of ids) {
        if (id.name.length === 1 && id.name !== '_')
          context.report({ node: id, messageId: 'short', data: { name: id.name, where } });
      }
    };
    const params = (fn, where) => {
      if (!isShortLambda(fn)) check(fn.params.flatMap(declared), where);
    };
    return {
      VariableDeclaration(decl) {
        if (!inLoopHead(decl))
          check(
            decl.declarations.flatMap((d) => declared(d.id)),
            'a variable',
          );
      },
      FunctionDeclaration: (fn) => {
        check(fn.id ? [fn.id] : [], 'a function');
        params(fn, 'a parameter of a named function');
      },
      FunctionExpression: (fn) => params(fn, 'a parameter of a method or long function'),
      ArrowFunctionExpression: (fn) => params(fn, `a parameter of a lambda longer than ${SHORT_LINES} lines`),
      CatchClause: (clause) => {
        if (spans(clause.body) > SHORT_LINES)
          check(declared(clause.param), `a catch parameter of a block longer than ${SHORT_LINES} lines`);
      },
      PropertyDefinition: (prop) => {
        if (prop.key.type === 'Identifier' && !prop.computed) check([prop.key], 'a class field');
      },
      ClassDeclaration: (cls) => check(cls.id ? [cls.id] : [], 'a class'),
    };
  },
};
