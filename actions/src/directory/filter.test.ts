import { escapeFilterValue, filterTemplateProblem, renderFilter } from './filter.js';

describe('escapeFilterValue', () => {
  it.each([
    ['*', '\\2a'],
    ['(', '\\28'],
    [')', '\\29'],
    ['\\', '\\5c'],
    ['\0', '\\00'],
  ])('escapes %j', (input, expected) => {
    expect(escapeFilterValue(input)).toBe(expected);
  });

  it('escapes every metacharacter in one value', () => {
    expect(escapeFilterValue('o*neil(\\)admin\0')).toBe('o\\2aneil\\28\\5c\\29admin\\00');
  });

  it('turns an injection attempt into a literal', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
  });

  it('keeps other characters, UTF-8 included', () => {
    expect(escapeFilterValue('jörg.müller@example.com=x,y;+<>#"')).toBe(
      'jörg.müller@example.com=x,y;+<>#"',
    );
  });

  it('escapes a backslash before a hex pair once', () => {
    expect(escapeFilterValue('\\2a')).toBe('\\5c2a');
  });
});

describe('renderFilter', () => {
  it('replaces every placeholder', () => {
    expect(renderFilter('(|(uid={{username}})(mail={{username}}))', 'a*')).toBe(
      '(|(uid=a\\2a)(mail=a\\2a))',
    );
  });
});

describe('filterTemplateProblem', () => {
  it.each([
    ['(uid={{username}})', null],
    ['(&(objectClass=user)(sAMAccountName={{username}}))', null],
    ['(uid=alice)', 'must contain {{username}}, for example (uid={{username}})'],
    ['uid={{username}}', 'must be enclosed in parentheses'],
    ['(uid={{username}}))', 'must be one filter with balanced parentheses'],
    ['(uid={{username}})(mail=x)', 'must be one filter with balanced parentheses'],
    ['((uid={{username}})', 'must be one filter with balanced parentheses'],
  ])('checks %s', (template, problem) => {
    expect(filterTemplateProblem(template)).toBe(problem);
  });
});
