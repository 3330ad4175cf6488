package dev.baton.scheduler.alert;

/** Where an alert's delivery to its channel stands. */
enum AlertStatus {
    /** Waiting for a replica to send it, or being sent, or waiting to be tried again. */
    PENDING,
    SENT,
    /** Given up: its last attempt failed, or the channel may not be called. */
    FAILED,
    /** Not sent: the job had sent as many to the channel within the hour as its limit. */
    SUPPRESSED
}
