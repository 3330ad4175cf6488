package dev.baton.scheduler.alert;

/** Where an alert goes, and in which format. */
enum ChannelType {
    /** A JSON POST of the alert, signed as a call to a worker is. */
    WEBHOOK,
    /** An email through the scheduler's SMTP server ({@code spring.mail.*}). */
    EMAIL,
    /** A Slack incoming webhook. */
    SLACK,
    /** A Microsoft Teams incoming webhook (or a Workflows webhook), as an Adaptive Card. */
    TEAMS,
    /** A DingTalk custom robot. */
    DINGTALK,
    /** A Feishu (Lark) custom bot. */
    FEISHU;

    /** Whether it is sent as an HTTP POST to a {@code url}. */
    boolean posted() {
        return this != EMAIL;
    }
}
