/** @jest-environment jsdom */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { RecoveryCodes } from './RecoveryCodes';

describe('RecoveryCodes', () => {
  it('lists every code', () => {
    render(<RecoveryCodes codes={['aaaa-bbbb', 'cccc-dddd']} onDone={() => {}} />);

    const list = screen.getByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['aaaa-bbbb', 'cccc-dddd']);
    expect(screen.getByText(/they are shown only now/)).toBeTruthy();
  });

  it('continues on request', () => {
    let done = 0;
    render(
      <RecoveryCodes
        codes={['aaaa-bbbb']}
        onDone={() => {
          done += 1;
        }}
      />,
    );

    fireEvent.click(screen.getByRole('button', { name: 'I have saved the codes, continue' }));

    expect(done).toBe(1);
  });
});
