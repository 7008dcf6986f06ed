/* test_order.c - sorting and grouping contributions. */
#include <stdlib.h>
#include <string.h>

#include "cb_order.h"
#include "check.h"

static cb_person speaker[4];
static cb_contribution k[5];

static void setup(void)
{
    /* id, title, board, session, time, presenter, track, type */
    static const char *const ids[] = {"10", "9", "A-2", "2", "100"};
    static const char *const titles[] = {"beta", "Alpha", "gamma", "Delta",
                                         "epsilon"};
    static const char *const boards[] = {"12", "3", NULL, "27", "4"};
    static const char *const sessions[] = {"Posters", "Orals", "Orals", NULL,
                                           "Posters"};
    static const char *const last[] = {"van der Berg", "Ólafsdóttir",
                                       "Kabátová", "Ivanova"};
    for (int i = 0; i < 5; i++) {
        k[i].id = ids[i];
        k[i].title = titles[i];
        k[i].board = boards[i];
        k[i].session = sessions[i];
        k[i].duration_min = -1;
        if (i < 4) {
            speaker[i].last = last[i];
            speaker[i].first = "X";
            k[i].speakers = &speaker[i];
            k[i].n_speakers = 1;
        }
    }
    /* days: 0 and 2 on the 2nd, 1 on the 1st, 3 and 4 unscheduled */
    k[0].start = (cb_datetime){1, 1, 2025, 6, 2, 11, 0, 0, NULL};
    k[1].start = (cb_datetime){1, 1, 2025, 6, 1, 9, 0, 0, NULL};
    k[2].start = (cb_datetime){1, 1, 2025, 6, 2, 9, 30, 0, NULL};
}

/* The ids in the order given, joined by spaces. */
static char *order_of_sub(const cb_sort_key *keys, int n, cb_group_by g,
                          cb_group_by sub);

static char *order_of(const cb_sort_key *keys, int n, cb_group_by g)
{
    return order_of_sub(keys, n, g, CB_GROUP_NONE);
}

static char *order_of_sub(const cb_sort_key *keys, int n, cb_group_by g,
                          cb_group_by sub)
{
    cb_event ev = {0};
    ev.contribs = k;
    ev.n_contribs = 5;
    const cb_contribution **o = cb_order_contributions(&ev, keys, n, g, sub, 0);
    static char buf[128];
    buf[0] = '\0';
    for (int i = 0; i < 5; i++) {
        strcat(buf, i ? " " : "");
        strcat(buf, o[i]->id);
    }
    free(o);
    return buf;
}

/* Ids that mix numbers and text sort the same in every input order (the
 * old rule, numbers only when both were numbers, had "9" < "10" < "1a" <
 * "9", and the result depended on the input order). */
static void test_ids_total_order(void)
{
    static const char *const ids[] = {"10", "9", "1a", "MOP10", "MOP2",
                                      "007"};
    static const int perms[][6] = {{0, 1, 2, 3, 4, 5}, {2, 1, 0, 5, 4, 3},
                                   {1, 2, 0, 4, 3, 5}, {5, 0, 2, 1, 3, 4},
                                   {3, 5, 4, 2, 1, 0}, {4, 3, 1, 0, 5, 2}};
    cb_sort_key id[] = {CB_SORT_ID};
    int same = 1;
    for (size_t p = 0; p < sizeof perms / sizeof perms[0]; p++) {
        cb_contribution c[6];
        memset(c, 0, sizeof c);
        for (int i = 0; i < 6; i++) {
            c[i].id = ids[perms[p][i]];
            c[i].duration_min = -1;
        }
        cb_event ev = {0};
        ev.contribs = c;
        ev.n_contribs = 6;
        const cb_contribution **o =
            cb_order_contributions(&ev, id, 1, CB_GROUP_NONE, CB_GROUP_NONE, 0);
        char buf[64] = "";
        for (int i = 0; i < 6; i++) {
            strcat(buf, i ? " " : "");
            strcat(buf, o[i]->id);
        }
        free(o);
        same &= strcmp(buf, "1a 007 9 10 MOP2 MOP10") == 0;
    }
    CHECK("ids in natural order, whatever the input order", same);
}

/* Sessions in the order of their first contribution, parallel ones by
 * room, a contribution without a session at its own time; by name when
 * asked. Indico's own example lists a 14:00 session before a 12:00 talk
 * without one. */
static void test_groups_by_time(void)
{
    static const struct {
        const char *id, *session, *room;
        int day, hour, minute;
    } rows[] = {{"1", "Posters", "Hall", 6, 14, 0},
                {"2", NULL, NULL, 6, 12, 0},
                {"3", "Alpha parallel", "Room B", 5, 11, 0},
                {"4", "Beta parallel", "Room A", 5, 11, 0},
                {"5", "Zeta plenary", "Room A", 5, 9, 0},
                {"6", "Zeta plenary", "Room A", 5, 9, 30},
                {"7", NULL, NULL, 5, 10, 30},
                {"8", NULL, NULL, 5, 16, 0},
                {"9", "Alpha parallel", "Room B", 5, 11, 20}};
    cb_contribution c[9];
    memset(c, 0, sizeof c);
    for (int i = 0; i < 9; i++) {
        c[i].id = rows[i].id;
        c[i].title = rows[i].id;
        c[i].session = rows[i].session;
        c[i].room = rows[i].room;
        c[i].duration_min = 20;
        c[i].start = (cb_datetime){1, 1, 2025, 6, rows[i].day, rows[i].hour,
                                   rows[i].minute, 0, NULL};
    }
    cb_event ev = {0};
    ev.contribs = c;
    ev.n_contribs = 9;
    cb_sort_key time[] = {CB_SORT_TIME, CB_SORT_ID};
    char buf[64];
    const cb_contribution **o = cb_order_contributions(
        &ev, time, 2, CB_GROUP_DAY, CB_GROUP_SESSION, 1);
    buf[0] = '\0';
    for (int i = 0; i < 9; i++)
        strcat(strcat(buf, i ? " " : ""), o[i]->id);
    free(o);
    CHECK_STR("day, then sessions by time, parallel by room, loose talks "
              "at their time", buf, "5 6 7 4 3 9 8 2 1");
    o = cb_order_contributions(&ev, time, 2, CB_GROUP_SESSION,
                               CB_GROUP_NONE, 1);
    buf[0] = '\0';
    for (int i = 0; i < 9; i++)
        strcat(strcat(buf, i ? " " : ""), o[i]->id);
    free(o);
    CHECK_STR("sessions by their first talk across days", buf,
              "5 6 7 4 3 9 8 2 1");
    o = cb_order_contributions(&ev, time, 2, CB_GROUP_DAY, CB_GROUP_SESSION,
                               0);
    buf[0] = '\0';
    for (int i = 0; i < 9; i++)
        strcat(strcat(buf, i ? " " : ""), o[i]->id);
    free(o);
    CHECK_STR("by name when asked: no session last in each day", buf,
              "3 9 4 5 6 7 8 1 2");
}

int main(void)
{
    test_ids_total_order();
    test_groups_by_time();
    setup();
    cb_sort_key id[] = {CB_SORT_ID};
    CHECK_STR("by id: numbers as numbers, text after",
              order_of(id, 1, CB_GROUP_NONE), "2 9 10 100 A-2");
    cb_sort_key title[] = {CB_SORT_TITLE};
    CHECK_STR("by title, whatever the case",
              order_of(title, 1, CB_GROUP_NONE), "9 10 2 100 A-2");
    cb_sort_key board[] = {CB_SORT_BOARD};
    CHECK_STR("by board number, missing last",
              order_of(board, 1, CB_GROUP_NONE), "9 100 10 2 A-2");
    cb_sort_key session_board[] = {CB_SORT_SESSION, CB_SORT_BOARD};
    CHECK_STR("by session then board, no session last",
              order_of(session_board, 2, CB_GROUP_NONE), "9 A-2 100 10 2");
    cb_sort_key time[] = {CB_SORT_TIME};
    CHECK_STR("by time, unscheduled last in source order",
              order_of(time, 1, CB_GROUP_NONE), "9 A-2 10 2 100");
    cb_sort_key presenter[] = {CB_SORT_PRESENTER};
    CHECK_STR("by first presenter's surname, accents aside, none last",
              order_of(presenter, 1, CB_GROUP_NONE), "2 A-2 9 10 100");
    CHECK_STR("grouped by day, then by id",
              order_of(id, 1, CB_GROUP_DAY), "9 10 A-2 2 100");
    CHECK_STR("grouped by session, then by title",
              order_of(title, 1, CB_GROUP_SESSION), "9 A-2 10 100 2");
    CHECK_STR("grouped by day, then session, then by id",
              order_of_sub(id, 1, CB_GROUP_DAY, CB_GROUP_SESSION),
              "9 A-2 10 100 2");
    CHECK("same session, same group",
          cb_order_same_group(&k[1], &k[2], CB_GROUP_SESSION));
    CHECK("other session, other group",
          !cb_order_same_group(&k[0], &k[1], CB_GROUP_SESSION));
    CHECK_DONE();
}
