-- The statuses and triggers are the names of the enums that hold them in the code:
-- ExecutionStatus, Trigger and AttemptStatus.
alter table execution
    add constraint execution_status_check
        check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED', 'CANCELLED')),
    add constraint execution_trigger_check
        check (trigger in ('SCHEDULE', 'MANUAL'));

alter table execution_attempt
    add constraint execution_attempt_status_check
        check (status in ('ACCEPTED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT'));
