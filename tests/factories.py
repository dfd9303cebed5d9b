import factory
from django.contrib.auth.models import Group, User

from plans.models import Action, Objective, Plan, Post, PriorityArea
from plans.roles import READ_GIVEN_PLANS, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted.value)[0])
        if extracted in READ_GIVEN_PLANS:  # given the plans there are, as a board would be
            self.member_of_plans.add(*Plan.objects.all())


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"HoS Service {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Faker("sentence", nb_words=3)
    organisation = factory.Faker("company")
    period = "2024–25"


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    reference = factory.Sequence(lambda n: str(n + 1))
    position = factory.Sequence(lambda n: n)
    title = factory.Faker("sentence", nb_words=4)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        skip_postgeneration_save = True

    priority_area = factory.SubFactory(PriorityAreaFactory)
    plan = factory.SelfAttribute("priority_area.plan")
    reference = factory.Sequence(lambda n: f"{n + 1}.1")
    position = factory.Sequence(lambda n: n)
    differently_or_better = factory.Faker("sentence")

    @factory.post_generation
    def responsible_posts(self, create, extracted, **kwargs):
        if extracted:
            self.responsible_posts.set(extracted)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    objective = factory.SubFactory(ObjectiveFactory)
    reference = factory.Sequence(lambda n: f"a.{n + 1}")
    position = factory.Sequence(lambda n: n)
    description = factory.Faker("sentence")

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if extracted:
            self.owners.set(extracted)


def restore_role_groups():
    """The role groups a migration made, again if a transactional test's flush removed them."""
    if Group.objects.filter(name__in=Role.values).count() < len(Role):
        for role in Role:
            Group.objects.get_or_create(name=role.value)
