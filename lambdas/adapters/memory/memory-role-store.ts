import type { RoleStore } from '../../core/access-ports.js';
import { RoleAssignment } from '../../core/roles.js';

/** Roles in a Map: for fast tests of the access rules beside the DynamoDB adapter's own tests. */
export class MemoryRoleStore implements RoleStore {
  private readonly roles = new Map<string, RoleAssignment>();

  async get(clubId: string, userId: string): Promise<RoleAssignment | undefined> {
    return this.roles.get(key(clubId, userId));
  }

  async list(clubId: string): Promise<RoleAssignment[]> {
    return [...this.roles.values()].filter((r) => r.clubId === clubId);
  }

  async clubsOf(userId: string): Promise<RoleAssignment[]> {
    return [...this.roles.values()].filter((r) => r.userId === userId);
  }

  async put(assignment: RoleAssignment): Promise<void> {
    const parsed = RoleAssignment.parse(assignment);
    this.roles.set(key(parsed.clubId, parsed.userId), parsed);
  }

  async remove(clubId: string, userId: string): Promise<'removed' | 'absent'> {
    return this.roles.delete(key(clubId, userId)) ? 'removed' : 'absent';
  }
}

const key = (clubId: string, userId: string) => JSON.stringify([clubId, userId]);
