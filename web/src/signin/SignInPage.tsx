import { useState } from 'react';
import type { SignedOutNotice } from '../session/SessionStore';
import type { Session } from '../session/session';
import { CredentialsForm } from './CredentialsForm';
import { MfaCodeForm } from './MfaCodeForm';
import { MfaEnrolment } from './MfaEnrolment';

export interface SignInPageProps {
  /** Reason the previous session ended, or null when there is none to show. */
  notice: SignedOutNotice | null;
  onSignIn: (session: Session) => void;
}

/** The step of a sign-in: the password, then a second factor when the account needs one. */
type Step =
  | { kind: 'credentials'; message: string | null }
  | { kind: 'verify'; organisation: string; mfaToken: string; methods: string[] }
  | { kind: 'enrol'; organisation: string; mfaToken: string };

const noticeMessages: Record<SignedOutNotice, string> = {
  'session-ended': 'Your session has ended. Sign in again.',
  'restore-failed': 'Your session could not be restored. Check your connection and sign in again.',
};

/** Leads through sign-in: organisation, email and password, then the second factor if any. */
export function SignInPage({ notice, onSignIn }: SignInPageProps) {
  const [step, setStep] = useState<Step>({ kind: 'credentials', message: null });
  const restart = (message: string | null) => setStep({ kind: 'credentials', message });

  switch (step.kind) {
    case 'verify':
      return (
        <MfaCodeForm
          {...step}
          onSignIn={onSignIn}
          onRestart={restart}
          onEnrolmentRequired={() => setStep({ ...step, kind: 'enrol' })}
        />
      );
    case 'enrol':
      return <MfaEnrolment {...step} onSignIn={onSignIn} onRestart={restart} />;
    case 'credentials':
      return (
        <CredentialsForm
          notice={step.message ?? (notice === null ? null : noticeMessages[notice])}
          onSignIn={onSignIn}
          onMfaRequired={(challenge) => setStep({ kind: 'verify', ...challenge })}
          onEnrolmentRequired={(challenge) => setStep({ kind: 'enrol', ...challenge })}
        />
      );
    default:
      return assertNever(step);
  }
}

function assertNever(step: never): never {
  throw new TypeError(`Unexpected sign-in step ${JSON.stringify(step)}.`);
}
