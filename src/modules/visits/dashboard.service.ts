import type { Database } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { UserActor } from '../auth/actor.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import { dashboardRepository } from './dashboard.repository.ts'
import type { DashboardInput } from './dashboard.view.ts'
import type { VisitsService } from './visits.service.ts'

/** Gathers what the dashboard shows; `dashboardView` decides how. Reads only, through the actor's scope. */
export class DashboardService {
  constructor(
    private readonly database: Database,
    private readonly visits: VisitsService,
    private readonly clock: Clock,
  ) {}

  async forActor(actor: UserActor): Promise<DashboardInput> {
    const [elvs, terms, involvement] = await Promise.all([
      // visits.list is already scoped: an authority user gets only their authority's ELVs.
      this.visits.list(actor),
      referenceRepository(this.database.db).listTerms(),
      dashboardRepository(this.database.db).involvement(actor.id),
    ])
    return { role: actor.role, authorityCode: actor.authorityCode, elvs, terms, involvement, today: this.clock.nowIso().slice(0, 10) }
  }
}
