import factory

from accounts.models import User

PASSWORD = "a-Long-pass-phrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user in whichever schema is active: wrap calls in `schema_context`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
