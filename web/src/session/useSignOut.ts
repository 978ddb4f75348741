import { useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../gql';

const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      revokedSessions
    }
  }
`);

/** How long sign-out waits for the server before it ends the session locally anyway. */
export const signOutTimeoutMs = 5_000;

/**
 * Returns `signOut`, which revokes the session on the server with the "logout" mutation and
 * then calls `onSignedOut`. A failed or slow request still ends the local session. The server
 * session then stays valid until its refresh token expires, but this tab no longer has it.
 */
export function useSignOut(onSignedOut: () => void): { signOut: () => void; signingOut: boolean } {
  const client = useClient();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, signOutTimeoutMs);
    });
    await Promise.race([client.mutation(LogoutMutation, {}).toPromise(), timeout]);
    clearTimeout(timer);
    onSignedOut();
  }

  return {
    signOut: () => {
      if (!signingOut) void signOut();
    },
    signingOut,
  };
}
