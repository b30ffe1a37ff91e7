-- Replaced databases are kept after an in-place restore until an operator drops them or the
-- configured delay passes; this records when one was dropped.
ALTER TABLE restore ADD COLUMN replaced_dropped_at TIMESTAMPTZ;

-- One rollback per Deployment at a time. Older duplicates left open by a stopped process end FAILED.
UPDATE rollback r SET phase = 'FAILED', finished_at = now(),
       failure_reason = 'Interrupted: superseded by a later rollback of the same Deployment.'
 WHERE phase IN ('PENDING', 'RUNNING')
   AND EXISTS (SELECT 1 FROM rollback n
                WHERE n.namespace = r.namespace AND n.deployment = r.deployment
                  AND n.phase IN ('PENDING', 'RUNNING') AND n.created_at > r.created_at);
CREATE UNIQUE INDEX rollback_one_active_per_deployment ON rollback (namespace, deployment)
    WHERE phase IN ('PENDING', 'RUNNING');
