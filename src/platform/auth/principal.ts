/** Who is making a request, as the access module resolved it. Never holds personal data of residents. */
export type Principal =
  | {
      kind: 'staff';
      id: string;
      name: string;
      login: string;
      department: string;
      roles: string[];
      purposes: string[];
      fields: string[];
      /** Sensitive fields per purpose: a field counts only where one role grants both. */
      fieldsByPurpose: Record<string, string[]>;
      /** The purpose chosen for the current task on staff pages. */
      taskPurpose: string | undefined;
    }
  | { kind: 'client'; id: string; name: string; purposes: string[]; fields: string[] }
  | { kind: 'resident'; id: string; name: string; purposes: string[]; fields: string[]; demo: boolean; sessionId: string; sessionExpires: Date };

export function actorRole(p: Principal): string | null {
  if (p.kind === 'staff') return p.roles.join(',');
  if (p.kind === 'client') return 'spoke';
  return 'resident';
}
