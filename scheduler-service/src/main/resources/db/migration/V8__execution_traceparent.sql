-- The W3C traceparent of the request that triggered an execution by hand: every attempt's span goes
-- on with that trace, so that one trace runs from the caller through the gateway and the scheduler
-- to the workers (docs/adr/0025). Null for a scheduled trigger, whose attempts each start a trace.
alter table execution
    add column traceparent text
        constraint execution_traceparent_w3c check (traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
