import { useId } from 'react';

export interface RecoveryCodesProps {
  codes: readonly string[];
  onDone: () => void;
}

/** Shows the recovery codes of a new second factor, once, until the user continues. */
export function RecoveryCodes({ codes, onDone }: RecoveryCodesProps) {
  const id = useId();

  return (
    <section className="sign-in" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>Save your recovery codes</h1>
      <p>
        Each code signs you in once if you lose your authenticator app. Store them somewhere safe:
        they are shown only now.
      </p>
      <ol className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <button type="button" onClick={onDone}>
        I have saved the codes, continue
      </button>
    </section>
  );
}
