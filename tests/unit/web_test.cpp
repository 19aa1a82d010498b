// The pages' pieces without a server: HTML escaped by construction, 网页填报 in chat (private only,
// never into a group), and the sign-in use cases over a real store (once, expiry, idle, revoked).
#include "bot/usecases/web.hpp"

#include "bot/web/html.hpp"
#include "bot/web/pages.hpp"
#include "handlers/page_form.hpp"
#include "templates/validate.hpp"
#include "tests/support/flow_harness.hpp"

#include <gtest/gtest.h>

namespace bot {
namespace {

using namespace std::chrono_literals;
using handlers::Stage;
using web::html::el;
using web::html::text;

TEST(Html, EveryTextAndAttributeIsEscaped) {
    std::string out;
    el("p", {{"title", "\"><script>x</script>"}, {"class", "a'b"}}, "<b>&amp;</b>").render(out);
    EXPECT_EQ(out,
              "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\" "
              "class=\"a&#39;b\">&lt;b&gt;&amp;amp;&lt;/b&gt;</p>");
    out.clear();
    el("input", {{"value", "全角＜＞ and \"quotes\""}}, {text("dropped: a void element has no children")})
        .render(out);
    EXPECT_EQ(out, "<input value=\"全角＜＞ and &quot;quotes&quot;\">");
    const std::string page = web::html::document("zh-CN", "<标题>", "/app/static/app.css", el("body"));
    EXPECT_EQ(page.rfind("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">", 0), 0u)
        << page;
    EXPECT_NE(page.find("<title>&lt;标题&gt;</title>"), std::string::npos) << page;
}

TEST(Html, TheSignInPageCarriesTheTokenOnlyInItsForm) {
    const std::string page = web::pages::sign_in("zh-CN", "tok\"en<");
    EXPECT_NE(page.find("<input type=\"hidden\" name=\"t\" value=\"tok&quot;en&lt;\">"), std::string::npos)
        << page;
    EXPECT_NE(page.find("<script src=\"/app/static/app.js\"></script>"), std::string::npos);
    EXPECT_EQ(page.find("<script>"), std::string::npos) << "no inline script";
    EXPECT_NE(web::pages::sign_in("en", "t").find("Sign in"), std::string::npos);
}

class WebLink : public ::testing::Test {
protected:
    WebLink() {
        h.settings().web_url = "https://liaison.example.gov.cn";
        h.settings().direct_bots = {"demo"};
    }
    test::FlowHarness h;
};

TEST_F(WebLink, ALinkGoesPrivatelyAndIsStoredOnlyAsItsHash) {
    const std::string said = h.say("zhangsan", "网页填报");
    EXPECT_NE(said.find("登录链接已私信发给您,10 分钟内有效"), std::string::npos) << said;
    EXPECT_EQ(said.find("https://"), std::string::npos) << said;
    const auto sent = h.take_outbox();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].message.direct);
    EXPECT_EQ(sent[0].message.chat_id, "@" + h.user_id_of("zhangsan"));
    const std::string& text = sent[0].message.text;
    const auto at = text.find("https://liaison.example.gov.cn/app/signin?t=");
    ASSERT_NE(at, std::string::npos) << text;
    const std::string token = text.substr(at + 44, 43);
    // The link signs in once; then it is used up.
    ASSERT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        usecase::Deps deps(h.templates, h.roster, &h.calendar);
        auto first = usecase::open_sign_in(deps, tx, token, "", "r1", h.now + 1min);
        EXPECT_TRUE(first && *first);
        EXPECT_EQ((*first)->session.person_id, "zhangsan");
        EXPECT_EQ((*first)->session.chat.chat_id, "demo-group") << "the draft of the chat it was asked in";
        auto second = usecase::open_sign_in(deps, tx, token, "", "r2", h.now + 2min);
        EXPECT_TRUE(second && !*second);
        return {};
    }));
}

TEST_F(WebLink, NotInAGroupWhereThePlatformCannotReachThePersonAndNotWithoutPages) {
    h.settings().direct_bots.clear();
    EXPECT_NE(h.say("zhangsan", "@联络员助手 网页填报").find("不在群里发送登录链接"), std::string::npos);
    EXPECT_TRUE(h.take_outbox().empty());
    EXPECT_EQ(h.last.find<handlers::SignInRequest>(), nullptr);
    h.settings().direct_bots = {"demo"};
    h.settings().web_url.clear();
    EXPECT_NE(h.say("zhangsan", "web form").find("尚未开启网页填报"), std::string::npos)
        << "in the person's locale";
    EXPECT_TRUE(h.take_outbox().empty());
    h.settings().web_url = "https://liaison.example.gov.cn";
    EXPECT_NE(h.say("stranger-1", "网页填报").find("名单"), std::string::npos) << "only people on the roster";
    EXPECT_TRUE(h.take_outbox().empty());
}

TEST_F(WebLink, ALinkExpiresASessionGoesIdleAndSigningInAgainRevokesTheOldOne) {
    h.say("zhangsan", "网页填报");
    const std::string text = h.take_outbox().at(0).message.text;
    const std::string token = text.substr(text.find("?t=") + 3, 43);
    h.say("zhangsan", "网页填报");
    const std::string text2 = h.take_outbox().at(0).message.text;
    const std::string token2 = text2.substr(text2.find("?t=") + 3, 43);
    EXPECT_NE(token, token2) << "a new token each time";
    h.say("zhangsan", "网页填报");
    const std::string text3 = h.take_outbox().at(0).message.text;
    const std::string token3 = text3.substr(text3.find("?t=") + 3, 43);
    ASSERT_TRUE(h.in_tx([&](store::Tx& tx) -> result<void> {
        usecase::Deps deps(h.templates, h.roster, &h.calendar);
        auto late = usecase::open_sign_in(deps, tx, token, "", "r", h.now + 11min);
        EXPECT_TRUE(late && !*late) << "expired after 10 minutes";
        auto in = usecase::open_sign_in(deps, tx, token2, "", "r", h.now + 5min);
        EXPECT_TRUE(in && *in);
        const std::string cookie = (*in)->cookie;
        EXPECT_TRUE(*usecase::web_session(deps, tx, cookie, h.now + 6h));
        EXPECT_FALSE(*usecase::web_session(deps, tx, cookie, h.now + 15h)) << "idle longer than 8 hours";
        EXPECT_FALSE(*usecase::web_session(deps, tx, "", h.now + 6h));
        // Signing in again from a browser that had a session: that session is over (no fixation).
        auto again = usecase::open_sign_in(deps, tx, token3, cookie, "r", h.now + 6min);
        EXPECT_TRUE(again && *again);
        EXPECT_FALSE(*usecase::web_session(deps, tx, cookie, h.now + 7min));
        EXPECT_TRUE(*usecase::web_session(deps, tx, (*again)->cookie, h.now + 7min));
        return {};
    }));
}

}  // namespace
}  // namespace bot

namespace bot {
namespace {

FormPost weekly(const std::string& progress, bool submit) {
    return FormPost{.template_id = "weekly_progress",
                    .fields = {{"task", "加装电梯民生实事"},
                               {"progress", progress},
                               {"status", "on_track"},
                               {"next_week", "完成土建,启动安装"},
                               {"unit", "xingfuli"}},
                    .submit = submit};
}

TEST(PageForm, TheSameReportFromTheChatAndFromThePageIsStoredAlike) {
    test::FlowHarness h;
    ASSERT_FALSE(h.file_weekly("zhangsan", "加装电梯民生实事").empty());
    h.take_outbox();
    h.now += std::chrono::hours(24 * 7);  // next week: not a copy of this week's
    FormPost form = weekly("60", true);
    form.fields["task"] = "课后服务提质增效";  // another report: the same words would be refused as a copy
    const std::string said = h.post_form("zhangsan", form);
    EXPECT_NE(said.find("《课后服务提质增效》"), std::string::npos) << said;
    ASSERT_EQ(h.submitted.size(), 2u);
    auto chat = h.submitted[0];
    auto page = h.submitted[1];
    chat.fields.erase("task");
    page.fields.erase("task");
    EXPECT_EQ(chat.fields, page.fields) << "chat's 60% and the page's 60 are one value";
    EXPECT_EQ(chat.unit_id, page.unit_id);
    EXPECT_EQ(chat.status, page.status);
    EXPECT_EQ(h.session("zhangsan"), nullptr) << "filed: no draft left";
}

TEST(PageForm, AFormStartedInTheChatIsFinishedOnThePageAndRefusalsStayOnThePage) {
    test::FlowHarness h;
    h.say("zhangsan", "填报 工作进度周报");
    h.say("zhangsan", "加装电梯民生实事");
    ASSERT_NE(h.session("zhangsan"), nullptr);
    // A typo: nothing is said in the chat, the valid answers become the chat's draft.
    EXPECT_EQ(h.post_form("zhangsan", weekly("六十", true)), "");
    ASSERT_NE(h.session("zhangsan"), nullptr);
    EXPECT_EQ(h.session("zhangsan")->answers.count("progress"), 0u);
    EXPECT_EQ(h.session("zhangsan")->answers.at("status"), "on_track");
    EXPECT_TRUE(h.submitted.empty());
    // Required items left empty on 提交: not filed, said nowhere in the chat, the draft kept.
    FormPost partial = weekly("60", true);
    partial.fields.erase("next_week");
    EXPECT_EQ(h.post_form("zhangsan", partial), "");
    EXPECT_TRUE(h.submitted.empty());
    EXPECT_EQ(h.session("zhangsan")->answers.at("progress"), "60");
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::filling) << "the chat asks next what is still empty";
    EXPECT_EQ(h.session("zhangsan")->template_id, "weekly_progress");
    // 提交 in the chat now reports what is missing, as for any draft.
    const std::string missing = h.say("zhangsan", "提交");
    EXPECT_NE(missing.find("下周计划"), std::string::npos) << missing;
    EXPECT_NE(h.post_form("zhangsan", weekly("60", true)).find("已提交"), std::string::npos);
    EXPECT_EQ(h.submitted.size(), 1u);
}

TEST(PageForm, TheLiaisonReportOfTheReadmeIsFiledFromOneFormWithADatePickersDate) {
    test::FlowHarness h;
    const FormPost form{
        .template_id = "liaison_info",
        .fields = {{"kind", "practice"},
                   {"title", "幸福里社区红色议事厅化解加装电梯难题"},
                   {"event_date", "2026-11-18"},  // what <input type=date> sends
                   {"place", "幸福里社区3号楼"},
                   {"case",
                    "11月18日,幸福里社区党委在3号楼召开红色议事厅会议,邀请12名居民代表、2名物业人员和施工方,"
                    "就加装电梯的费用分摊和低层住户补偿逐项协商,形成书面方案。"},
                   {"results", "两周内38户中有35户签字同意,电梯于12月初开工。"},
                   {"unit", "xingfuli"}},
        .submit = true};
    const std::string said = h.post_form("zhangsan", form);
    EXPECT_NE(said.find("R-2026-0001"), std::string::npos) << said;
    ASSERT_EQ(h.submitted.size(), 1u);
    EXPECT_EQ(h.submitted[0].fields.at("event_date"), "2026-11-18");
    EXPECT_EQ(h.submitted[0].fields.count("issue_detail"), 0u) << "shown only for 问题";
}

TEST(PageForm, PreviewIsTheChatsPreviewWithItsHintsAndTheDraftStays) {
    test::FlowHarness h;
    FormPost form{
        .template_id = "liaison_info",
        .fields = {{"kind", "practice"},
                   {"title", "社区开展主题党日活动"},
                   {"event_date", "2026-11-18"},
                   {"place", "社区会议室"},
                   {"case",
                    "社区党委高度重视,精心组织,认真开展主题党日活动,取得了良好效果,进一步提高了认识。"},
                   {"results", "效果良好,反响热烈。"},
                   {"unit", "xingfuli"}},
        .submit = false,
        .preview = true};
    const std::string said = h.post_form("zhangsan", form);
    EXPECT_NE(said.find("【党建联络信息】预览"), std::string::npos) << said;
    EXPECT_NE(said.find("写作提示"), std::string::npos) << "实: a hollow case gets the chat's hints\n"
                                                        << said;
    EXPECT_TRUE(h.submitted.empty());
    ASSERT_NE(h.session("zhangsan"), nullptr);
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::previewing);
}

TEST(PageForm, WhileTypingTheDraftIsSavedAndOnlyTheHintsAreSaid) {
    test::FlowHarness h;
    FormPost form{.template_id = "liaison_info",
                  .fields = {{"kind", "practice"},
                             {"title", "社区开展主题党日活动"},
                             {"case", "社区党委高度重视,精心组织,认真开展主题党日活动,取得了良好效果。"},
                             {"results", "效果良好,反响热烈。"},
                             {"unit", "xingfuli"}},
                  .submit = false,
                  .preview = false,
                  .check = true};
    std::string said = h.post_form("zhangsan", form);
    EXPECT_NE(said.find("写作提示"), std::string::npos) << said;
    EXPECT_NE(said.find("还没有具体数字"), std::string::npos) << "实: no figures yet\n" << said;
    EXPECT_EQ(said.find("预览"), std::string::npos) << "the hints alone, not the preview: " << said;
    ASSERT_NE(h.session("zhangsan"), nullptr);
    EXPECT_EQ(h.session("zhangsan")->answers.at("results"), "效果良好,反响热烈。");
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::filling) << "place is still empty: the chat goes on there";
    // Acted on: figures in the results, and that hint is gone; the saved draft follows the typing.
    form.fields["results"] = "参加党员 46 人,收集意见 12 条,解决 9 条。";
    said = h.post_form("zhangsan", form);
    EXPECT_EQ(said.find("还没有具体数字"), std::string::npos) << said;
    EXPECT_EQ(h.session("zhangsan")->answers.at("results"), "参加党员 46 人,收集意见 12 条,解决 9 条。");
    // A refused answer is not saved, the rest is, and nothing is filed.
    form.fields["event_date"] = "明天的明天";
    h.post_form("zhangsan", form);
    EXPECT_EQ(h.session("zhangsan")->answers.count("event_date"), 0u);
    EXPECT_EQ(h.session("zhangsan")->answers.at("title"), "社区开展主题党日活动");
    EXPECT_TRUE(h.submitted.empty());
}

TEST(PagePhotos, AnImageIsKnownByItsBytesNotByWhatTheBrowserSays) {
    EXPECT_EQ(usecase::image_type("\xFF\xD8\xFF\xE0rest"), "image/jpeg");
    EXPECT_EQ(usecase::image_type("\x89PNG\r\n\x1A\nIHDR"), "image/png");
    EXPECT_EQ(usecase::image_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
    EXPECT_EQ(usecase::image_type(std::string("\0\0\0\x18"
                                              "ftypheic",
                                              12)),
              "image/heic");
    EXPECT_EQ(usecase::image_type(std::string("\0\0\0\x18"
                                              "ftypmif1",
                                              12)),
              "image/heic");
    for (const std::string& not_one : {std::string(),
                                       std::string("\xFF\xD8"),
                                       std::string("<svg onload=alert(1)>"),
                                       std::string("%PDF-1.7"),
                                       std::string("RIFF\0\0\0\0WAVE"),
                                       std::string("\0\0\0\x18"
                                                   "ftypisom",
                                                   12),
                                       std::string("GIF89a")}) {
        EXPECT_EQ(usecase::image_type(not_one), "") << not_one;
    }
}

TEST(PagePhotos, PhotosArePutOnAndTakenOffTheDraftOneByOneAndKeptByTheForm) {
    test::FlowHarness h;
    FormPost photo{
        .template_id = "liaison_info", .fields = {}, .attach_field = "photos", .attach = "upload:aa"};
    EXPECT_EQ(h.post_form("zhangsan", photo), "") << "nothing said";
    ASSERT_NE(h.session("zhangsan"), nullptr);
    EXPECT_EQ(h.session("zhangsan")->answers.at("photos"), "upload:aa");
    EXPECT_EQ(h.session("zhangsan")->stage, Stage::filling);
    photo.attach = "upload:bb";
    h.post_form("zhangsan", photo);
    EXPECT_EQ(h.session("zhangsan")->answers.at("photos"), "upload:aa\nupload:bb");
    // Saving the form keeps them (the form does not carry photos).
    FormPost form{
        .template_id = "liaison_info", .fields = {{"title", "社区开展主题党日活动"}}, .submit = false};
    h.post_form("zhangsan", form);
    EXPECT_EQ(h.session("zhangsan")->answers.at("photos"), "upload:aa\nupload:bb");
    EXPECT_EQ(h.session("zhangsan")->answers.at("title"), "社区开展主题党日活动");
    // 移除 one, then the other: the answer is gone.
    FormPost off{
        .template_id = "liaison_info", .fields = {}, .attach_field = "photos", .detach = "upload:aa"};
    h.post_form("zhangsan", off);
    EXPECT_EQ(h.session("zhangsan")->answers.at("photos"), "upload:bb");
    off.detach = "upload:bb";
    h.post_form("zhangsan", off);
    EXPECT_EQ(h.session("zhangsan")->answers.count("photos"), 0u);
    // Nine at most; no other field takes photos; the title stayed all along.
    for (int i = 0; i < 10; ++i) {
        photo.attach = "upload:" + std::to_string(i);
        h.post_form("zhangsan", photo);
    }
    EXPECT_EQ(handlers::page::attachments_of(h.session("zhangsan")->answers.at("photos")).size(),
              handlers::page::kMaxPhotos);
    EXPECT_EQ(
        handlers::page::cannot_attach(*h.templates.find("liaison_info"), *h.session("zhangsan"), "photos"),
        "web.photo_full");
    EXPECT_EQ(handlers::page::cannot_attach(*h.templates.find("liaison_info"), std::nullopt, "title"),
              "web.photo_no_field");
    photo.attach_field = "title";
    photo.attach = "upload:x";
    h.post_form("zhangsan", photo);
    EXPECT_EQ(h.session("zhangsan")->answers.at("title"), "社区开展主题党日活动");
}

TEST(PageForm, OnlyTheTemplatesThePersonFilesThereAndOnlyPeopleOnTheRoster) {
    test::FlowHarness h;
    FormPost other = weekly("60", true);
    other.template_id = "no_such_template";
    EXPECT_EQ(h.post_form("zhangsan", other), "");
    EXPECT_EQ(h.session("zhangsan"), nullptr);
    EXPECT_EQ(h.post_form("stranger-9", weekly("60", true)), "");
    EXPECT_TRUE(h.submitted.empty());
    // Every answer the page shows as stored goes back through the validators unchanged.
    const handlers::FlowContext ctx{h.now, h.templates, h.roster};
    const handlers::Person* zhangsan = h.roster.person_by_id("zhangsan");
    for (const auto& t : h.templates.all()) {
        for (const auto& v : handlers::page::view(t, {}, true, zhangsan, ctx, "zh-CN")) {
            for (const auto& [value, label] : v.options) {
                const auto again =
                    handlers::page::check(t, {{v.field->id, value}}, zhangsan, ctx, "zh-CN").answers;
                if (templates::condition_met(*v.field, {})) {
                    EXPECT_EQ(again.count(v.field->id) ? again.at(v.field->id) : "?", value)
                        << t.id << "." << v.field->id;
                }
            }
        }
    }
}

}  // namespace
}  // namespace bot
